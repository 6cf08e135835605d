//! wrong: hedge races with future::or, which always polls the primary
//! first, so the primary wins every tie whatever the seed.
//! message: always prefers the primary
// ANCHOR: learn-hedge
    let _ = seed;
    future::or(primary, backup).await
// ANCHOR_END: learn-hedge
