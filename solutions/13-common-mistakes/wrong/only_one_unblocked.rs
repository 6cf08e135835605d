//! wrong: moves one job to blocking's pool and leaves the other on the
//! executor's thread.
//! message: job b ran on the executor's own thread
// ANCHOR: learn-not_parallel
    future::zip(smol::unblock(a), async move { b() }).await
// ANCHOR_END: learn-not_parallel
