//! wrong: turn always waits with a zero timeout ("never block"), so the
//! event loop spins.
//! message: turn(None) must sleep in wait() until a source is ready
// ANCHOR: learn-reactor-turn
        let _ = timeout;
        self.events.clear();
        self.poller
            .wait(&mut self.events, Some(Duration::ZERO))?;
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
