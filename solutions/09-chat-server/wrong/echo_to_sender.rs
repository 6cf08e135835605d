//! wrong: the fan-out sends every line to every client, the sender too.
//! message: received her own lines back
// ANCHOR: learn-broker-helpers
/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Sends `line` to every client.
fn broadcast(clients: &HashMap<ClientId, Client>, _from: ClientId, line: &str) {
    for client in clients.values() {
        deliver(&client.outbox, line);
    }
}
// ANCHOR_END: learn-broker-helpers
