//! wrong: first_valid takes n readings and then filters, so the invalid
//! readings count towards n.
//! message: Filter out the negative readings *before* you take n
// ANCHOR: learn-first_valid
    readings
        .take(n)
        .filter(|r| *r >= 0)
        .map(|r| r as u32)
        .collect()
        .await
// ANCHOR_END: learn-first_valid
