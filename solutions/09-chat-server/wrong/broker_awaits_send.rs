//! wrong: the broker waits for room in each client's queue
//! (`send(..).await`), so one client that never reads stalls everyone.
//! message: backpressure from the slowest client onto everyone
// ANCHOR: learn-broker-helpers
/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Sends `line` to every client except `from`, and makes sure it arrives.
async fn broadcast(clients: &HashMap<ClientId, Client>, from: ClientId, line: &str) {
    for (&id, client) in clients {
        if id != from {
            let _ = client.outbox.send(line.to_string()).await;
        }
    }
}
// ANCHOR_END: learn-broker-helpers
// ANCHOR: learn-broker
    let mut clients: HashMap<ClientId, Client> = HashMap::new();
    while let Ok(event) = events.recv().await {
        match event {
            Event::Join { id, name, outbox } => {
                broadcast(&clients, id, &format!("* {name} joined")).await;
                clients.insert(id, Client { name, outbox });
            }
            Event::Message { id, line } => {
                if let Some(from) = clients.get(&id) {
                    broadcast(&clients, id, &format!("{}: {line}", from.name)).await;
                }
            }
            Event::Leave { id } => {
                if let Some(gone) = clients.remove(&id) {
                    broadcast(&clients, id, &format!("* {} left", gone.name)).await;
                }
            }
        }
    }
    clients.len()
// ANCHOR_END: learn-broker
