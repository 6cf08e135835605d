//! wrong: awaits each client's handle_client in the accept loop itself, so
//! the server serves one client at a time.
//! message: serve serves one client at a time
// ANCHOR: learn-serve
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
        let Some(Ok((mut stream, _))) = accepted else {
            break;
        };
        stats.accepted();
        let Some(_permit) = limit.try_acquire_arc() else {
            stats.refused();
            let _ = stream.write_all(format!("{BUSY}\n").as_bytes()).await;
            continue;
        };
        let _active = stats.enter();
        let end = handle_client(stream, &cfg, &shutdown).await;
        stats.ended(&end);
    }
    Ok(())
// ANCHOR_END: learn-serve
