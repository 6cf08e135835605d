//! wrong: the pipeline uses unbounded channels, so a fast source runs
//! arbitrarily far ahead of a slow sink (no backpressure).
//! message: The channels did not push back
// ANCHOR: learn-pipeline
    let _ = capacity;
    let (tx1, rx1) = async_channel::unbounded::<I>();
    let (tx2, rx2) = async_channel::unbounded::<O>();
    let read = async move {
        pin!(source);
        while let Some(item) = source.next().await {
            let _ = tx1.send(item).await;
        }
    };
    let work = async move {
        while let Ok(item) = rx1.recv().await {
            let _ = tx2.send(transform(item)).await;
        }
    };
    let write = async move {
        let mut written = 0;
        while let Ok(item) = rx2.recv().await {
            sink(item).await;
            written += 1;
        }
        written
    };
    let (((), ()), written) = future::zip(future::zip(read, work), write).await;
    written
// ANCHOR_END: learn-pipeline
