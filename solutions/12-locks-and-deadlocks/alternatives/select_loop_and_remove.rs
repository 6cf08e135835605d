//! alternative: `exchange` as one loop that races the next send against the
//! next receive (future::or), instead of two loops zipped; `update` takes
//! the old value out of the map and puts the new one back, under one write
//! guard.
// ANCHOR: learn-exchange
    enum Event {
        Sent(bool),
        Got(Option<u32>),
    }
    let mut items = outgoing.into_iter().peekable();
    let mut tx = Some(tx);
    let mut receiving = true;
    let mut received = Vec::new();
    loop {
        if items.peek().is_none() {
            tx = None; // all sent: close our side
        }
        if tx.is_none() && !receiving {
            break received;
        }
        let next_item = items.peek().copied();
        let send = async {
            match (&tx, next_item) {
                (Some(tx), Some(item)) => Event::Sent(tx.send(item).await.is_ok()),
                _ => future::pending().await,
            }
        };
        let recv = async {
            if receiving {
                Event::Got(rx.recv().await.ok())
            } else {
                future::pending().await
            }
        };
        // A send that loses the race is dropped before it sent anything;
        // the item is still at the front of `items` for the next turn.
        match future::or(recv, send).await {
            Event::Sent(true) => {
                items.next();
            }
            Event::Sent(false) => {
                // The peer is gone: nobody will read the rest.
                items = Vec::new().into_iter().peekable();
            }
            Event::Got(Some(item)) => received.push(item),
            Event::Got(None) => receiving = false,
        }
    }
// ANCHOR_END: learn-exchange
// ANCHOR: learn-cache-update
        let mut entries = self.entries.write().await;
        let old = entries.remove(key);
        let new = f(old.as_deref()).await;
        entries.insert(key.to_string(), new);
// ANCHOR_END: learn-cache-update
