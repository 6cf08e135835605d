//! wrong: deliver waits for room in a full queue (`send_blocking`), so a
//! client that never reads blocks the broker's whole thread.
//! message: deliver() waited for room in a full queue
// ANCHOR: learn-deliver
    match outbox.send_blocking(line.to_string()) {
        Ok(()) => Delivery::Queued,
        Err(_) => Delivery::Gone,
    }
// ANCHOR_END: learn-deliver
