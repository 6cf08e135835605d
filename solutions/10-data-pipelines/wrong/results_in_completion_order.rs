//! wrong: map_concurrent collects the results from a channel as the jobs
//! finish, so they come back in completion order, not in the order of the items.
//! message: results in the order they finished
// ANCHOR: learn-map_concurrent
    assert!(limit > 0, "map_concurrent needs a limit of at least 1");
    let permits = Arc::new(Semaphore::new(limit));
    let (tx, rx) = async_channel::unbounded();
    let n = items.len();
    for item in items {
        let permit = permits.acquire_arc().await;
        let job = f(item);
        let tx = tx.clone();
        smol::spawn(async move {
            let out = job.await;
            drop(permit);
            let _ = tx.send(out).await;
        })
        .detach();
    }
    let mut results = Vec::with_capacity(n);
    for _ in 0..n {
        results.push(rx.recv().await.unwrap());
    }
    results
// ANCHOR_END: learn-map_concurrent
