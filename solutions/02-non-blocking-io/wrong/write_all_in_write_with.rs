//! wrong: echo calls the blocking-style write_all inside write_with; after a
//! partial write it hits WouldBlock and write_with retries it from the
//! start, sending some bytes twice.
//! message: some bytes went out twice
// ANCHOR: learn-echo
    let mut buf = [0u8; 4096];
    let mut total = 0;
    loop {
        let n = stream.read_with(|s| (&*s).read(&mut buf)).await?;
        if n == 0 {
            return Ok(total);
        }
        stream.write_with(|s| (&*s).write_all(&buf[..n])).await?;
        total += n as u64;
    }
// ANCHOR_END: learn-echo
