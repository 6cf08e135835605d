//! wrong: keeps the heartbeat alive with detach(), so it never stops: it
//! outlives the work.
//! message: detached task outlives its job
// ANCHOR: learn-dropped_task
    ex.spawn(heartbeat).detach();
    work.await
// ANCHOR_END: learn-dropped_task
