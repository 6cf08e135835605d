//! wrong: swaps thread::sleep for a Timer, but waits for it with
//! future::block_on, which still holds the thread.
//! message: a ping on the same thread arrived while fetch_with_retry() waited to retry
// ANCHOR: learn-blocking_sleep
        future::block_on(Timer::after(backoff));
// ANCHOR_END: learn-blocking_sleep
