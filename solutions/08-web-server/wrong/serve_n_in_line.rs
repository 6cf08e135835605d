//! wrong: serve_n awaits each connection before it accepts the next, so
//! clients are served one at a time.
//! message: serve_n() served the connections one at a time
// ANCHOR: learn-serve_n
    let mut stats = Stats::default();
    for _ in 0..connections {
        let (stream, _peer) = listener.accept().await?;
        stats.accepted += 1;
        stats.record(handle_connection(stream, &handler).await);
    }
    Ok(stats)
// ANCHOR_END: learn-serve_n
