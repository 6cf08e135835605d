//! wrong: after wait returns, turn runs the callback of every registered
//! source, ready or not.
//! message: a source with nothing to read had its callback run
// ANCHOR: learn-reactor-turn
        self.events.clear();
        self.poller.wait(&mut self.events, timeout)?;
        let keys: Vec<usize> = self.sources.keys().copied().collect();
        let mut ran = Vec::new();
        for key in keys {
            let slot = self.sources.get_mut(&key).expect("key from the map");
            ran.push(key);
            match slot.fire() {
                Next::Keep => self.poller.modify(slot.source(), Event::readable(key))?,
                Next::Remove => self.deregister(key)?,
            }
        }
        Ok(ran)
// ANCHOR_END: learn-reactor-turn
