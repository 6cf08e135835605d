//! wrong: the schedule function pushes to the front, so the run queue is a
//! stack and the newest task always runs first.
//! message: that is a stack (LIFO)
// ANCHOR: learn-mini_executor-spawn
        let queue = self.queue.clone();
        let schedule = move |runnable| queue.lock().unwrap().push_front(runnable);
        let (runnable, task) = async_task::spawn(future, schedule);
        runnable.schedule();
        task
// ANCHOR_END: learn-mini_executor-spawn
