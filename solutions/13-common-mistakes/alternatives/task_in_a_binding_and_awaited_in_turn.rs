//! alternative: the heartbeat's Task kept in a binding that simply goes out
//! of scope (which cancels it); both unblock tasks started first and awaited
//! one after the other; run_all with the original channel design, each task
//! catching its own panic and sending a Result.
// ANCHOR: learn-dropped_task
    let _beat = ex.spawn(heartbeat);
    work.await
// ANCHOR_END: learn-dropped_task
// ANCHOR: learn-not_parallel
    // unblock starts each job at once; awaiting in turn still overlaps them.
    let ta = smol::unblock(a);
    let tb = smol::unblock(b);
    (ta.await, tb.await)
// ANCHOR_END: learn-not_parallel
// ANCHOR: learn-lost_panic
    let (tx, rx) = smol::channel::unbounded();
    for (i, job) in jobs.into_iter().enumerate() {
        let tx = tx.clone();
        ex.spawn(async move {
            let output = AssertUnwindSafe(job).catch_unwind().await;
            let _ = tx.send((i, output)).await;
        })
        .detach();
    }
    drop(tx);
    let mut outputs = Vec::new();
    while let Ok((i, output)) = rx.recv().await {
        match output {
            Ok(v) => outputs.push((i, v)),
            Err(payload) => bail!("job {i} panicked: {}", panic_text(&*payload)),
        }
    }
    outputs.sort_by_key(|(i, _)| *i);
    Ok(outputs.into_iter().map(|(_, output)| output).collect())
// ANCHOR_END: learn-lost_panic
