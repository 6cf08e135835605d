//! alternative: with_timeout with FutureExt::or and a mapped timer;
//! first_valid with filter_map and u32::try_from.
// ANCHOR: learn-with_timeout
    use futures_lite::FutureExt;
    let timer = async {
        Timer::after(limit).await;
        Err(TimedOut)
    };
    async { Ok(work.await) }.or(timer).await
// ANCHOR_END: learn-with_timeout
// ANCHOR: learn-first_valid
    readings
        .filter_map(|r| u32::try_from(r).ok())
        .take(n)
        .collect()
        .await
// ANCHOR_END: learn-first_valid
