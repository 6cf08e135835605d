//! wrong: `let _ = limit.try_acquire_arc()` drops the permit on the spot, so
//! the connection limit never holds.
//! message: A permit dropped too early
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
        if limit.try_acquire_arc().is_none() {
            stats.refused();
            let _ = stream.write_all(format!("{BUSY}\n").as_bytes()).await;
            continue;
        }
        let (cfg, stats, shutdown) = (cfg.clone(), stats.clone(), shutdown.clone());
        ex.spawn(async move {
            let _active = stats.enter();
            let end = handle_client(stream, &cfg, &shutdown).await;
            stats.ended(&end);
        })
        .detach();
    }
    drop(listener);
    for _ in 0..cfg.max_connections {
        std::mem::forget(limit.acquire_arc().await);
    }
    Ok(())
// ANCHOR_END: learn-serve
