//! wrong: hedge spawns both requests as tasks and takes the first answer
//! from a channel, detaching the tasks: the loser keeps running.
//! message: the loser must be cancelled by the time hedge() returns
// ANCHOR: learn-hedge
    let _ = seed;
    let (tx, rx) = smol::channel::bounded(2);
    let tx2 = tx.clone();
    smol::spawn(async move {
        let _ = tx.send(primary.await).await;
    })
    .detach();
    smol::spawn(async move {
        let _ = tx2.send(backup.await).await;
    })
    .detach();
    rx.recv().await.expect("one of the requests answers")
// ANCHOR_END: learn-hedge
