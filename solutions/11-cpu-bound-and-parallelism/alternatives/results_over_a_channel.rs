//! alternative: parallel_sum with detached tasks that report over a
//! channel (in completion order) and results put back in chunk order by
//! index; hash_in_background hands blocking::unblock a named owned closure.
// ANCHOR: learn-hash_in_background
    let job = move || hash(data.as_slice());
    blocking::unblock(job).await
// ANCHOR_END: learn-hash_in_background
// ANCHOR: learn-parallel_sum
    assert!(threads > 0, "parallel_sum needs at least one thread");
    let work = &work;
    let ex = Executor::new();
    let (results_tx, results_rx) = smol::channel::unbounded();
    for (i, chunk) in chunks.iter().enumerate() {
        let results_tx = results_tx.clone();
        ex.spawn(async move {
            let value = work(chunk);
            let _ = results_tx.send((i, value, thread::current().id())).await;
        })
        .detach();
    }
    drop(results_tx);
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    thread::scope(|s| {
        for _ in 0..threads {
            let (ex, stopped) = (&ex, stopped.clone());
            s.spawn(move || future::block_on(ex.run(stopped.recv())));
        }
        let mut slots: Vec<Option<(u64, thread::ThreadId)>> = vec![None; chunks.len()];
        while let Ok((i, value, thread)) = future::block_on(results_rx.recv()) {
            slots[i] = Some((value, thread));
        }
        drop(stop);
        let mut summed = Summed {
            total: 0,
            ran_on: Vec::with_capacity(chunks.len()),
        };
        for (value, thread) in slots.into_iter().flatten() {
            summed.total += value;
            summed.ran_on.push(thread);
        }
        summed
    })
// ANCHOR_END: learn-parallel_sum
