//! wrong: the pipeline awaits its stages one after another, so the read
//! stage fills its bounded channel and waits forever for room.
//! message: the stages ran one after another
// ANCHOR: learn-pipeline
    let (tx1, rx1) = bounded::<I>(capacity);
    let (tx2, rx2) = bounded::<O>(capacity);
    pin!(source);
    while let Some(item) = source.next().await {
        tx1.send(item).await.unwrap();
    }
    drop(tx1);
    while let Ok(item) = rx1.recv().await {
        tx2.send(transform(item)).await.unwrap();
    }
    drop(tx2);
    let mut written = 0;
    while let Ok(item) = rx2.recv().await {
        sink(item).await;
        written += 1;
    }
    written
// ANCHOR_END: learn-pipeline
