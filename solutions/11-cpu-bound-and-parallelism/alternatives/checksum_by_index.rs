//! alternative: checksum_cooperatively walks the data by index ranges
//! instead of `chunks`, yielding once per range.
// ANCHOR: learn-checksum_cooperatively
    assert!(slice > 0, "a slice must hold at least one byte");
    let mut sum = Checksum::new();
    let mut start = 0;
    while start < data.len() {
        let end = (start + slice).min(data.len());
        sum.update(&data[start..end]);
        start = end;
        future::yield_now().await;
    }
    sum.finish()
// ANCHOR_END: learn-checksum_cooperatively
