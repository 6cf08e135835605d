//! wrong: turns every I/O error into a quiet `End::Eof`, so a reset client
//! looks like one that said goodbye.
//! message: an I/O error was swallowed
// ANCHOR: learn-handle_client
    let (tx, rx) = async_channel::bounded(cfg.queue_len.max(1));
    let reader = read_requests(BufReader::new(stream.clone()), tx, cfg, shutdown);
    let writer = write_replies(stream, rx, cfg.idle_timeout);
    match future::try_zip(reader, writer).await {
        Ok((end, ())) => Ok(end),
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(_) => Ok(End::Eof),
    }
// ANCHOR_END: learn-handle_client
