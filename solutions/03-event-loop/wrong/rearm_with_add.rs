//! wrong: turn re-arms a source that said Next::Keep by adding it to the
//! poller again instead of modifying its interest.
//! message: not with add
// ANCHOR: learn-reactor-turn
        self.events.clear();
        self.poller.wait(&mut self.events, timeout)?;
        let ready: Vec<usize> = self.events.iter().map(|ev| ev.key).collect();
        let mut ran = Vec::new();
        for key in ready {
            let Some(slot) = self.sources.get_mut(&key) else {
                continue;
            };
            ran.push(key);
            match slot.fire() {
                // SAFETY: the source stays in self.sources until deregister.
                Next::Keep => unsafe { self.poller.add(slot.source(), Event::readable(key))? },
                Next::Remove => self.deregister(key)?,
            }
        }
        Ok(ran)
// ANCHOR_END: learn-reactor-turn
