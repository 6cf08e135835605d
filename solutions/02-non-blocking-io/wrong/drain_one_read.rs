//! wrong: drain_available does one big read and returns what it got.
//! message: keep reading until WouldBlock
// ANCHOR: learn-drain_available
    stream.set_nonblocking(true)?;
    let mut buf = vec![0u8; 1 << 20];
    match stream.read(&mut buf) {
        Ok(n) => Ok(buf[..n].to_vec()),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(Vec::new()),
        Err(e) => Err(e),
    }
// ANCHOR_END: learn-drain_available
