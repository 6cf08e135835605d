//! wrong: with_timeout's timer side sleeps with std::thread::sleep, which
//! blocks the whole thread instead of letting a Timer wake the task.
//! message: blocked the executor for
// ANCHOR: learn-with_timeout
    let work = async { Ok(work.await) };
    let timer = async {
        std::thread::sleep(limit);
        Err(TimedOut)
    };
    future::or(work, timer).await
// ANCHOR_END: learn-with_timeout
