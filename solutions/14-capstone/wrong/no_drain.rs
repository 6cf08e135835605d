//! wrong: returns as soon as it stops accepting, while clients are still in
//! the middle of a request: a shutdown that does not drain.
//! message: serve returned while a client was still in the middle of a request
// ANCHOR: learn-serve
    let cfg = Arc::new(cfg);
    let limit = Arc::new(Semaphore::new(cfg.max_connections));
    loop {
        let accepted = future::or(
            async {
                shutdown.wait().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = accepted else { break };
        let Ok((mut stream, _)) = accepted else {
            continue;
        };
        stats.accepted();
        let Some(permit) = limit.try_acquire_arc() else {
            stats.refused();
            let _ = stream.write_all(format!("{BUSY}\n").as_bytes()).await;
            continue;
        };
        let (cfg, stats, shutdown) = (cfg.clone(), stats.clone(), shutdown.clone());
        ex.spawn(async move {
            let _seat = permit;
            let _active = stats.enter();
            let end = handle_client(stream, &cfg, &shutdown).await;
            stats.ended(&end);
        })
        .detach();
    }
    Ok(())
// ANCHOR_END: learn-serve
