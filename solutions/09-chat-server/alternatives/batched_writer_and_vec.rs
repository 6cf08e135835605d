//! alternative: the broker keeps its clients in a Vec in arrival order; the
//! writer gathers every line already queued into one buffer and writes it
//! with a single write_all; serve detaches the broker instead of keeping
//! its Task.
// ANCHOR: learn-broker-helpers
//~ // (helpers)
// ANCHOR_END: learn-broker-helpers
// ANCHOR: learn-broker
    let mut clients: Vec<(ClientId, String, Sender<String>)> = Vec::new();
    let fan_out = |clients: &[(ClientId, String, Sender<String>)], from, line: &str| {
        for (id, _, outbox) in clients {
            if *id != from {
                deliver(outbox, line);
            }
        }
    };
    while let Ok(event) = events.recv().await {
        match event {
            Event::Join { id, name, outbox } => {
                fan_out(&clients, id, &format!("* {name} joined"));
                clients.push((id, name, outbox));
            }
            Event::Message { id, line } => {
                if let Some((_, name, _)) = clients.iter().find(|c| c.0 == id) {
                    let line = format!("{name}: {line}");
                    fan_out(&clients, id, &line);
                }
            }
            Event::Leave { id } => {
                if let Some(i) = clients.iter().position(|c| c.0 == id) {
                    let (_, name, _) = clients.remove(i);
                    fan_out(&clients, id, &format!("* {name} left"));
                }
            }
        }
    }
    clients.len()
// ANCHOR_END: learn-broker
// ANCHOR: learn-write_lines
    let mut batch = Vec::new();
    while let Ok(first) = outbox.recv().await {
        batch.clear();
        batch.extend_from_slice(first.as_bytes());
        batch.push(b'\n');
        // Whatever else is already waiting goes out in the same write.
        while let Ok(more) = outbox.try_recv() {
            batch.extend_from_slice(more.as_bytes());
            batch.push(b'\n');
        }
        out.write_all(&batch).await?;
        out.flush().await?;
    }
    Ok(())
// ANCHOR_END: learn-write_lines
// ANCHOR: learn-serve
    let (events, inbox) = async_channel::bounded(INBOX_CAPACITY);
    // Detached: it runs on its own until the inbox closes.
    smol::spawn(broker(inbox)).detach();
    for id in 1.. {
        let (stream, _peer) = listener.accept().await?;
        let events = events.clone();
        smol::spawn(async move {
            let reader = stream.clone();
            let _ = handle_client(id, reader, stream, events).await;
        })
        .detach();
    }
    unreachable!("ids run out after u64::MAX clients")
// ANCHOR_END: learn-serve
