//! wrong: yields after every byte instead of every slice: a trip through the
//! executor's queue per byte.
//! message: it yields more often than once per slice
// ANCHOR: learn-checksum_cooperatively
    let mut sum = Checksum::new();
    for byte in data {
        sum.update(std::slice::from_ref(byte));
        future::yield_now().await;
    }
    sum.finish()
// ANCHOR_END: learn-checksum_cooperatively
