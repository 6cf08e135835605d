//! wrong: races with `zip` instead of `or`, so even a quick future waits for
//! the whole timer before its output comes back.
//! message: it must not wait for the timer
// ANCHOR: learn-with_idle_timeout
    let (out, _) = future::zip(fut, Timer::after(idle)).await;
    Ok(out)
// ANCHOR_END: learn-with_idle_timeout
