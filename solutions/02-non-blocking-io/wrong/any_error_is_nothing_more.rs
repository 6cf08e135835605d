//! wrong: every error ends the loop quietly, as if it were WouldBlock, so a
//! connection reset looks like "nothing more right now".
//! message: A reset is an error to pass on
// ANCHOR: learn-drain_available
    stream.set_nonblocking(true)?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    Ok(out)
// ANCHOR_END: learn-drain_available
