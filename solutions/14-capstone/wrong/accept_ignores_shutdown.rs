//! wrong: the accept loop never looks at the shutdown signal, so after
//! shutdown new clients are still let in (and serve never returns).
//! message: the accept loop does not look at the shutdown signal
// ANCHOR: learn-serve
    let cfg = Arc::new(cfg);
    let limit = Arc::new(Semaphore::new(cfg.max_connections));
    while !shutdown.is_triggered() {
        let Ok((mut stream, _)) = listener.accept().await else {
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
    for _ in 0..cfg.max_connections {
        std::mem::forget(limit.acquire_arc().await);
    }
    Ok(())
// ANCHOR_END: learn-serve
