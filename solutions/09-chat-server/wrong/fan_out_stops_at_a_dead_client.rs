//! wrong: the fan-out returns as soon as one client's queue is closed, so
//! every client after it in the map's order misses the line.
//! message: The fan-out stopped at a dead or full client
// ANCHOR: learn-broker-helpers
/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Sends `line` to every client except `from`.
fn broadcast(clients: &HashMap<ClientId, Client>, from: ClientId, line: &str) {
    for (&id, client) in clients {
        if id == from {
            continue;
        }
        // A closed queue means something went wrong: stop here.
        if deliver(&client.outbox, line) == Delivery::Gone {
            return;
        }
    }
}
// ANCHOR_END: learn-broker-helpers
