//! wrong: drain_available passes WouldBlock on with `?`.
//! message: drain_available returned the WouldBlock error
// ANCHOR: learn-drain_available
    stream.set_nonblocking(true)?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(out)
// ANCHOR_END: learn-drain_available
