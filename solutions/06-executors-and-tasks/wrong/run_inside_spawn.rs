//! wrong: spawn() runs the new task right away instead of only queueing it.
//! message: the task ran inside spawn(), before the executor ticked
// ANCHOR: learn-mini_executor-spawn
        let queue = self.queue.clone();
        let schedule = move |runnable| queue.lock().unwrap().push_back(runnable);
        let (runnable, task) = async_task::spawn(future, schedule);
        runnable.run();
        task
// ANCHOR_END: learn-mini_executor-spawn
