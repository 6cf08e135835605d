//! wrong: read_exact_async treats a read of 0 bytes as "try again".
//! message: A read of 0 bytes means the peer closed
// ANCHOR: learn-read_exact_async
    let mut out = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        filled += stream.read_with(|s| (&*s).read(&mut out[filled..])).await?;
    }
    Ok(out)
// ANCHOR_END: learn-read_exact_async
