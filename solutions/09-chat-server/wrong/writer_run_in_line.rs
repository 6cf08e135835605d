//! wrong: handle_client awaits the writer in line instead of spawning it, so
//! it never gets to read: the writer ends only after Leave.
//! message: it never read a line
// ANCHOR: learn-handle_client
    let mut lines = BufReader::new(reader).lines();
    let name = match lines.next().await {
        Some(name) => name?,
        None => return Ok(()),
    };
    let (outbox, queue) = async_channel::bounded(OUTBOX_CAPACITY);
    if events.send(Event::Join { id, name, outbox }).await.is_err() {
        return Ok(());
    }
    // Start writing what the broker sends.
    let _ = write_lines(queue, writer).await;
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
    read
// ANCHOR_END: learn-handle_client
