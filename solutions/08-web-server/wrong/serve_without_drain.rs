//! wrong: serve returns at shutdown without waiting for the connections in
//! progress: their Tasks are dropped, which cancels them.
//! message: serve() did not drain its connections
// ANCHOR: learn-serve
    let mut stats = Stats::default();
    let mut running = Vec::new();
    loop {
        let next = future::or(
            async {
                let _ = shutdown.recv().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = next else { break };
        let (stream, _peer) = accepted?;
        stats.accepted += 1;
        let handler = handler.clone();
        running.push(smol::spawn(async move {
            handle_connection(stream, &handler).await
        }));
    }
    Ok(stats)
// ANCHOR_END: learn-serve
