//! wrong: drain_available forgets set_nonblocking, so its read waits for
//! data that is not coming.
//! message: drain_available waited for more data that had not arrived
// ANCHOR: learn-drain_available
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) => return Err(e),
        }
    }
    Ok(out)
// ANCHOR_END: learn-drain_available
