//! wrong: echo writes each chunk once and ignores how much write() took.
//! message: write() may take only part of a buffer
// ANCHOR: learn-echo
    let mut buf = [0u8; 4096];
    let mut total = 0;
    loop {
        let n = stream.read_with(|s| (&*s).read(&mut buf)).await?;
        if n == 0 {
            return Ok(total);
        }
        stream.write_with(|s| (&*s).write(&buf[..n])).await?;
        total += n as u64;
    }
// ANCHOR_END: learn-echo
