//! wrong: tick() keeps the queue locked while the task runs; a task that
//! wakes itself then waits for the lock its own thread holds.
//! message: the run queue's Mutex was still locked while a Runnable ran
// ANCHOR: learn-mini_executor-tick
        let mut queue = self.queue.lock().unwrap();
        match queue.pop_front() {
            Some(runnable) => {
                runnable.run();
                true
            }
            None => false,
        }
// ANCHOR_END: learn-mini_executor-tick
