//! alternative: read_exact_async waits with `readable()` and reads through
//! the socket itself; echo uses futures-lite's AsyncReadExt/AsyncWriteExt
//! (`write_all` loops over partial writes); drain grows the Vec in place.
// ANCHOR: learn-drain_available
    stream.set_nonblocking(true)?;
    let mut out = Vec::new();
    loop {
        let start = out.len();
        out.resize(start + 1024, 0);
        match stream.read(&mut out[start..]) {
            Ok(0) => {
                out.truncate(start);
                return Ok(out);
            }
            Ok(n) => out.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                out.truncate(start);
                return Ok(out);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => out.truncate(start),
            Err(e) => return Err(e),
        }
    }
// ANCHOR_END: learn-drain_available
// ANCHOR: learn-read_exact_async
    let mut out = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        match stream.get_ref().read(&mut out[filled..]) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the peer closed early",
                ));
            }
            Ok(got) => filled += got,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => stream.readable().await?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
// ANCHOR_END: learn-read_exact_async
// ANCHOR: learn-echo
    use futures_lite::{AsyncReadExt, AsyncWriteExt};
    let mut stream = stream;
    let mut buf = vec![0u8; 1500];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            stream.flush().await?;
            return Ok(total);
        }
        stream.write_all(&buf[..n]).await?;
        total += n as u64;
    }
// ANCHOR_END: learn-echo
