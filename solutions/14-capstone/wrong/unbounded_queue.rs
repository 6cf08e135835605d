//! wrong: an unbounded queue between the halves: a client that floods
//! requests and never reads gets every reply stored in memory.
//! message: serving it took up to
// ANCHOR: learn-handle_client
    let peer = stream.peer_addr().context("reading the client's address")?;
    let (tx, rx) = async_channel::unbounded();
    let reader = read_requests(BufReader::new(stream.clone()), tx, cfg, shutdown);
    let writer = write_replies(stream, rx, cfg.idle_timeout);
    match future::try_zip(reader, writer).await {
        Ok((end, ())) => Ok(end),
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(e) => Err(e.context(format!("serving {peer}"))),
    }
// ANCHOR_END: learn-handle_client
