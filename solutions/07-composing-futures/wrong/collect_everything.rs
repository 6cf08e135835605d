//! wrong: first_valid collects the whole stream and cuts it down
//! afterwards, pulling every reading out of the source.
//! message: Streams are lazy
// ANCHOR: learn-first_valid
    let all: Vec<i32> = readings.collect().await;
    all.into_iter()
        .filter(|r| *r >= 0)
        .map(|r| r as u32)
        .take(n)
        .collect()
// ANCHOR_END: learn-first_valid
