//! wrong: sends everything, then receives: with both channels full, both
//! sides wait in send() and nobody receives.
//! message: a cycle of full channels
// ANCHOR: learn-exchange
    for item in outgoing {
        if tx.send(item).await.is_err() {
            break;
        }
    }
    drop(tx);
    let mut received = Vec::new();
    while let Ok(item) = rx.recv().await {
        received.push(item);
    }
    received
// ANCHOR_END: learn-exchange
