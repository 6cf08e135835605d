//! alternative: the broker keeps its clients in a BTreeMap with a fan-out
//! written inline; the reader uses read_line with one reused String; the
//! writer writes the line and its newline with two write_all calls.
// ANCHOR: learn-broker-helpers
/// What the broker knows about one client.
struct Member {
    name: String,
    outbox: Sender<String>,
}
// ANCHOR_END: learn-broker-helpers
// ANCHOR: learn-broker
    let mut members: std::collections::BTreeMap<ClientId, Member> = Default::default();
    while let Ok(event) = events.recv().await {
        let (from, line) = match event {
            Event::Join { id, name, outbox } => {
                let line = format!("* {name} joined");
                members.insert(id, Member { name, outbox });
                (id, line)
            }
            Event::Message { id, line } => match members.get(&id) {
                Some(m) => (id, format!("{}: {line}", m.name)),
                None => continue,
            },
            Event::Leave { id } => match members.remove(&id) {
                Some(m) => (id, format!("* {} left", m.name)),
                None => continue,
            },
        };
        for (_, m) in members.iter().filter(|(id, _)| **id != from) {
            let _ = deliver(&m.outbox, &line);
        }
    }
    members.len()
// ANCHOR_END: learn-broker
// ANCHOR: learn-write_lines
    while let Ok(line) = outbox.recv().await {
        out.write_all(line.as_bytes()).await?;
        out.write_all(b"\n").await?;
        out.flush().await?;
    }
    Ok(())
// ANCHOR_END: learn-write_lines
// ANCHOR: learn-handle_client
    let mut reader = BufReader::new(reader);
    let mut buf = String::new();
    if reader.read_line(&mut buf).await? == 0 {
        return Ok(());
    }
    let name = buf.trim_end_matches(['\r', '\n']).to_string();

    let (outbox, queue) = async_channel::bounded(OUTBOX_CAPACITY);
    let writer = smol::spawn(write_lines(queue, writer));
    let mut result = Ok(());
    if events.send(Event::Join { id, name, outbox }).await.is_ok() {
        loop {
            buf.clear();
            match reader.read_line(&mut buf).await {
                Ok(0) => break,
                Ok(_) => {
                    let line = buf.trim_end_matches(['\r', '\n']).to_string();
                    if events.send(Event::Message { id, line }).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let _ = events.send(Event::Leave { id }).await;
    }
    let _ = writer.await;
    result
// ANCHOR_END: learn-handle_client
