//! wrong: slices the data but never yields between the slices: the whole
//! checksum is one long poll.
//! message: was polled once
// ANCHOR: learn-checksum_cooperatively
    let mut sum = Checksum::new();
    for part in data.chunks(slice) {
        sum.update(part);
    }
    sum.finish()
// ANCHOR_END: learn-checksum_cooperatively
