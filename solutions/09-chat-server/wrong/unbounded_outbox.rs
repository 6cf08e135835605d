//! wrong: each client's queue is unbounded: nothing ever stalls, but a
//! client that stops reading makes the server's memory grow without limit.
//! message: the client's queue is unbounded
// ANCHOR: learn-handle_client
    let mut lines = BufReader::new(reader).lines();
    let name = match lines.next().await {
        Some(name) => name?,
        None => return Ok(()),
    };
    let (outbox, queue) = async_channel::unbounded();
    let writer = smol::spawn(write_lines(queue, writer));
    if events.send(Event::Join { id, name, outbox }).await.is_err() {
        return Ok(());
    }
    let read = loop {
        match lines.next().await {
            Some(Ok(line)) => {
                if events.send(Event::Message { id, line }).await.is_err() {
                    break Ok(());
                }
            }
            Some(Err(e)) => break Err(e),
            None => break Ok(()),
        }
    };
    let _ = events.send(Event::Leave { id }).await;
    let _ = writer.await;
    read
// ANCHOR_END: learn-handle_client
