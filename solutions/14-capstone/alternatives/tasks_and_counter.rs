//! alternative: `serve` with an atomic seat counter instead of a semaphore,
//! and a drain that awaits every client task it kept (finished ones are
//! pruned as it goes).
// ANCHOR: learn-serve
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Seat(Arc<AtomicUsize>);
    impl Drop for Seat {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let cfg = Arc::new(cfg);
    let seats = Arc::new(AtomicUsize::new(0));
    let mut tasks: Vec<async_executor::Task<()>> = Vec::new();
    loop {
        let accepted = future::or(
            async { listener.accept().await.map(Some) },
            async {
                shutdown.wait().await;
                Ok(None)
            },
        )
        .await;
        let mut stream = match accepted {
            Ok(Some((stream, _))) => stream,
            Ok(None) => break,
            Err(e) => {
                eprintln!("accept failed: {e}");
                Timer::after(Duration::from_millis(10)).await;
                continue;
            }
        };
        stats.accepted();
        if seats.fetch_add(1, Ordering::SeqCst) >= cfg.max_connections {
            seats.fetch_sub(1, Ordering::SeqCst);
            stats.refused();
            let busy = format!("{BUSY}\n");
            let _ = with_idle_timeout(Duration::from_secs(1), stream.write_all(busy.as_bytes())).await;
            continue;
        }
        let seat = Seat(seats.clone());
        let (cfg, stats, shutdown) = (cfg.clone(), stats.clone(), shutdown.clone());
        tasks.retain(|t| !t.is_finished());
        tasks.push(ex.spawn(async move {
            let _seat = seat;
            let _active = stats.enter();
            let end = handle_client(stream, &cfg, &shutdown).await;
            stats.ended(&end);
        }));
    }
    drop(listener);
    for task in tasks {
        task.await;
    }
    Ok(())
// ANCHOR_END: learn-serve
