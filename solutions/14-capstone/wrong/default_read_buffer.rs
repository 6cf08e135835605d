//! wrong: every client gets a default-sized (8 KiB) read buffer, kept for
//! as long as the client is connected, idle or not.
//! message: held
//! message: bytes of the server's heap each
// ANCHOR: learn-handle_client
    let peer = stream.peer_addr().context("reading the client's address")?;
    // The bounded queue between the two halves: at most queue_len replies
    // wait for this client, whatever it does.
    let (tx, rx) = async_channel::bounded(cfg.queue_len.max(1));
    let reader = read_requests(
        BufReader::new(stream.clone()),
        tx,
        cfg,
        shutdown,
    );
    let writer = write_replies(stream, rx, cfg.idle_timeout);
    // Both halves run at once. The reader decides when to stop and drops
    // the sender, then the writer sends what is left and finishes. try_zip
    // stops at the first error of either half.
    match future::try_zip(reader, writer).await {
        Ok((end, ())) => Ok(end),
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(e) => Err(e.context(format!("serving {peer}"))),
    }
// ANCHOR_END: learn-handle_client
