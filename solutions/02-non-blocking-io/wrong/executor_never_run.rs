//! wrong: echo_clients spawns a task per client on a LocalExecutor but never
//! runs the executor, so awaiting the tasks waits forever.
//! message: the spawned tasks were never polled
// ANCHOR: learn-echo_clients
    let ex = LocalExecutor::new();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (stream, _) = listener.accept().await?;
        tasks.push(ex.spawn(echo(stream)));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await?;
    }
    Ok(total)
// ANCHOR_END: learn-echo_clients
