//! alternative: drain_available lets `read_to_end` do the loop: on a
//! non-blocking socket it stops with WouldBlock, and the bytes read before
//! that are already in the Vec.
// ANCHOR: learn-drain_available
    stream.set_nonblocking(true)?;
    let mut out = Vec::new();
    match stream.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(out),
        Err(e) => Err(e),
    }
// ANCHOR_END: learn-drain_available
