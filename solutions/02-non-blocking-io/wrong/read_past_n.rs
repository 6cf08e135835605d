//! wrong: read_exact_async reads into a big scratch buffer and keeps the
//! first n bytes, losing what came after them.
//! message: took bytes beyond the 8 it was asked for
// ANCHOR: learn-read_exact_async
    let mut out = Vec::with_capacity(n);
    let mut buf = [0u8; 4096];
    while out.len() < n {
        let got = stream.read_with(|s| (&*s).read(&mut buf)).await?;
        if got == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        out.extend_from_slice(&buf[..got]);
    }
    out.truncate(n);
    Ok(out)
// ANCHOR_END: learn-read_exact_async
