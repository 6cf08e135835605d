//! wrong: hedge waits for the primary in line and only asks the backup if
//! ... well, never: the requests are never in flight together.
//! message: the two were never in flight together
// ANCHOR: learn-hedge
    let _ = (seed, backup);
    primary.await
// ANCHOR_END: learn-hedge
