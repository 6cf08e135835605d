//! alternative: the reactor's keys come from the map's size plus a probe for
//! a free key; turn dispatches from a drained copy of the events and
//! deregister deletes through the boxed source before removing it.
// ANCHOR: learn-reactor-register
        let mut key = self.sources.len();
        while self.sources.contains_key(&key) || key < self.next_key {
            key += 1;
        }
        self.next_key = key + 1;
        let slot: Box<dyn Registered> = Box::new(Slot { source, callback });
        // SAFETY: the slot (and the source in it) lives in self.sources until
        // deregister or Drop deletes it from the poller.
        unsafe { self.poller.add(slot.source(), Event::readable(key))? };
        self.sources.insert(key, slot);
        Ok(key)
// ANCHOR_END: learn-reactor-register
// ANCHOR: learn-reactor-turn
        let mut events = std::mem::replace(&mut self.events, Events::new());
        events.clear();
        let waited = self.poller.wait(&mut events, timeout);
        let ready: Vec<usize> = events.iter().map(|ev| ev.key).collect();
        self.events = events;
        waited?;
        let mut ran = Vec::new();
        for key in ready {
            let next = match self.sources.get_mut(&key) {
                Some(slot) => slot.fire(),
                None => continue,
            };
            ran.push(key);
            if next == Next::Keep {
                let slot = &self.sources[&key];
                self.poller.modify(slot.source(), Event::readable(key))?;
            } else {
                self.deregister(key)?;
            }
        }
        Ok(ran)
// ANCHOR_END: learn-reactor-turn
// ANCHOR: learn-hang_up
        let Some(slot) = self.sources.get(&key) else {
            return Err(io::Error::new(ErrorKind::NotFound, "unknown key"));
        };
        self.poller.delete(slot.source())?;
        self.sources.remove(&key);
        Ok(())
// ANCHOR_END: learn-hang_up
