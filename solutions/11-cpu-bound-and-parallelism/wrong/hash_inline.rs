//! wrong: calls the hash right there in the async fn: it holds the
//! executor's thread for the whole hash.
//! message: blocked the executor for
// ANCHOR: learn-hash_in_background
    hash(&data)
// ANCHOR_END: learn-hash_in_background
