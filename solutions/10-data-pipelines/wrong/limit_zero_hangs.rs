//! wrong: no guard for a limit of 0: a semaphore with no permit, and the
//! first job waits for a slot forever.
//! message: no job can ever start
// ANCHOR: learn-map_concurrent
    let permits = Arc::new(Semaphore::new(limit));
    let mut tasks = Vec::with_capacity(items.len());
    for item in items {
        // Wait for a free slot *before* starting the next job. The guard is
        // 'static (it holds an Arc), so it can move into the task...
        let permit = permits.acquire_arc().await;
        let job = f(item);
        tasks.push(smol::spawn(async move {
            let out = job.await;
            // ...and the slot frees up when the job is done, not before.
            drop(permit);
            out
        }));
    }
    // Await the tasks in the order they were started: input order.
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await);
    }
    results
// ANCHOR_END: learn-map_concurrent
