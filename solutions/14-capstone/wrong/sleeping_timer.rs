//! wrong: the timeout is a `std::thread::sleep`, which holds the thread:
//! nothing else on the executor runs while it waits.
//! message: blocked the executor for
// ANCHOR: learn-with_idle_timeout
    future::or(async { Ok(fut.await) }, async {
        std::thread::sleep(idle);
        Err(Idle)
    })
    .await
// ANCHOR_END: learn-with_idle_timeout
