//! wrong: read_exact_async retries a non-blocking read after yield_now()
//! instead of waiting for readiness (busy-spinning).
//! message: That is busy-spinning
// ANCHOR: learn-read_exact_async
    let mut out = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        match stream.get_ref().read(&mut out[filled..]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(got) => filled += got,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                futures_lite::future::yield_now().await
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
// ANCHOR_END: learn-read_exact_async
