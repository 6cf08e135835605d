//! wrong: turn never clears the event list, so last turn's events are
//! dispatched again.
//! message: call self.events.clear() before every wait
// ANCHOR: learn-reactor-turn
        self.poller.wait(&mut self.events, timeout)?;
        let ready: Vec<usize> = self.events.iter().map(|ev| ev.key).collect();
        let mut ran = Vec::new();
        for key in ready {
            let Some(slot) = self.sources.get_mut(&key) else {
                continue;
            };
            ran.push(key);
            match slot.fire() {
                Next::Keep => self.poller.modify(slot.source(), Event::readable(key))?,
                Next::Remove => self.deregister(key)?,
            }
        }
        Ok(ran)
// ANCHOR_END: learn-reactor-turn
