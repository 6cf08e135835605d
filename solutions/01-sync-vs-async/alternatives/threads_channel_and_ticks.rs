//! alternative: threads that report (index, result) over a channel and are
//! put back in order; tasks driven by ticking the executor by hand until
//! every one of them is finished.
// ANCHOR: learn-with_threads
    let (tx, rx) = std::sync::mpsc::channel();
    let serve = &serve;
    std::thread::scope(|s| {
        for (i, &order) in orders.iter().enumerate() {
            let tx = tx.clone();
            s.spawn(move || tx.send((i, serve(order))).unwrap());
        }
    });
    drop(tx);
    let mut results: Vec<(usize, String)> = rx.into_iter().collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
// ANCHOR_END: learn-with_threads
// ANCHOR: learn-on_one_thread
    let ex = LocalExecutor::new();
    let tasks: Vec<_> = orders.iter().map(|&order| ex.spawn(serve(order))).collect();
    while !tasks.iter().all(|t| t.is_finished()) {
        if !ex.try_tick() {
            // Every task is waiting for something else: let the timers and
            // I/O of this thread move on until one of them is runnable.
            smol::block_on(ex.tick());
        }
    }
    tasks
        .into_iter()
        .map(|t| smol::block_on(t))
        .collect()
// ANCHOR_END: learn-on_one_thread
