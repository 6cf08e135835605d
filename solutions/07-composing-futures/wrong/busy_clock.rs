//! wrong: with_timeout polls the work and checks the clock in a loop,
//! yielding in between: it busy-waits instead of sleeping on a timer.
//! message: It busy-waits
// ANCHOR: learn-with_timeout
    let deadline = std::time::Instant::now() + limit;
    let mut work = std::pin::pin!(work);
    loop {
        if let Some(out) = future::poll_once(work.as_mut()).await {
            return Ok(out);
        }
        if std::time::Instant::now() >= deadline {
            return Err(TimedOut);
        }
        future::yield_now().await;
    }
// ANCHOR_END: learn-with_timeout
