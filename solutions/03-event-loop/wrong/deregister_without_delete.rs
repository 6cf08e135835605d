//! wrong: deregister takes the source out of the map and drops it, but
//! never deletes it from the poller ("closing the socket is enough").
//! message: the poller still reported the deregistered source
// ANCHOR: learn-hang_up
        match self.sources.remove(&key) {
            Some(_slot) => Ok(()),
            None => Err(io::Error::new(
                ErrorKind::NotFound,
                format!("no source with key {key}"),
            )),
        }
// ANCHOR_END: learn-hang_up
