//! wrong: map_concurrent writes `let _ = sem.acquire().await`, which drops
//! the permit at once, so nothing limits the jobs.
//! message: at most 3 may
// ANCHOR: learn-map_concurrent
    assert!(limit > 0, "map_concurrent needs a limit of at least 1");
    let sem = Semaphore::new(limit);
    let mut tasks = Vec::new();
    for item in items {
        let _ = sem.acquire().await;
        tasks.push(smol::spawn(f(item)));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await);
    }
    results
// ANCHOR_END: learn-map_concurrent
