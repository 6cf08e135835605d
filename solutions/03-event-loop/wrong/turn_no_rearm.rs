//! wrong: turn runs the ready callbacks but never re-arms the oneshot
//! interest on Next::Keep.
//! message: polling's interest is ONESHOT
// ANCHOR: learn-reactor-turn
        self.events.clear();
        self.poller.wait(&mut self.events, timeout)?;
        let ready: Vec<usize> = self.events.iter().map(|ev| ev.key).collect();
        let mut ran = Vec::new();
        for key in ready {
            if let Some(slot) = self.sources.get_mut(&key) {
                ran.push(key);
                if slot.fire() == Next::Remove {
                    self.deregister(key)?;
                }
            }
        }
        Ok(ran)
// ANCHOR_END: learn-reactor-turn
