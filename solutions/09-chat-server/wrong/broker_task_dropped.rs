//! wrong: serve spawns the broker and drops its Task (`let _ = ...`), which
//! cancels the broker at once: every Join goes nowhere.
//! message: The broker's Task was dropped
// ANCHOR: learn-serve
    let (events, inbox) = async_channel::bounded(INBOX_CAPACITY);
    let _ = smol::spawn(broker(inbox));
    let mut next_id: ClientId = 0;
    loop {
        let (stream, _peer) = listener.accept().await?;
        next_id += 1;
        let (id, events) = (next_id, events.clone());
        smol::spawn(async move {
            let _ = handle_client(id, stream.clone(), stream, events).await;
        })
        .detach();
    }
// ANCHOR_END: learn-serve
