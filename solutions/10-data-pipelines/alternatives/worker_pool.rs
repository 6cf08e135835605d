//! alternative: map_concurrent as a pool of `limit` worker tasks that pull
//! numbered jobs from a channel and store each result at its item's index.
// ANCHOR: learn-map_concurrent
    assert!(limit > 0, "map_concurrent needs a limit of at least 1");
    let n = items.len();
    let slots: Arc<std::sync::Mutex<Vec<Option<R>>>> =
        Arc::new(std::sync::Mutex::new((0..n).map(|_| None).collect()));
    let (jobs_tx, jobs_rx) = bounded::<(usize, Fut)>(1);
    let workers: Vec<_> = (0..limit.min(n.max(1)))
        .map(|_| {
            let (jobs_rx, slots) = (jobs_rx.clone(), slots.clone());
            smol::spawn(async move {
                while let Ok((i, job)) = jobs_rx.recv().await {
                    let out = job.await;
                    slots.lock().unwrap()[i] = Some(out);
                }
            })
        })
        .collect();
    drop(jobs_rx);
    for (i, item) in items.into_iter().enumerate() {
        // A job is only created when a worker is ready to take it.
        if jobs_tx.send((i, f(item))).await.is_err() {
            break;
        }
    }
    drop(jobs_tx); // the workers end when the channel is empty
    for worker in workers {
        worker.await;
    }
    let mut slots = slots.lock().unwrap();
    slots.drain(..).map(|r| r.expect("every job ran")).collect()
// ANCHOR_END: learn-map_concurrent
