//! wrong: handle_client uses `?` on each line it reads, so a read error
//! returns before Leave is sent and the broker keeps a dead client.
//! message: the broker got no Leave
// ANCHOR: learn-handle_client
    let mut lines = BufReader::new(reader).lines();
    let name = match lines.next().await {
        Some(name) => name?,
        None => return Ok(()),
    };
    let (outbox, queue) = async_channel::bounded(OUTBOX_CAPACITY);
    let writer = smol::spawn(write_lines(queue, writer));
    if events.send(Event::Join { id, name, outbox }).await.is_err() {
        return Ok(());
    }
    while let Some(line) = lines.next().await {
        let line = line?;
        if events.send(Event::Message { id, line }).await.is_err() {
            break;
        }
    }
    let _ = events.send(Event::Leave { id }).await;
    let _ = writer.await;
    Ok(())
// ANCHOR_END: learn-handle_client
