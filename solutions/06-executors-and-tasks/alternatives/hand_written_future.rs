//! alternative: logged as a hand-written Future that owns the boxed work,
//! logs "start" on its first poll and "done" when the work is ready, and
//! logs "cancelled" from its own Drop when it started but never finished;
//! spawn_logged detaches through a named Task.
// ANCHOR: learn-logged-guard
struct Logged<F> {
    name: String,
    log: Log,
    work: std::pin::Pin<Box<F>>,
    started: bool,
    finished: bool,
}

impl<F: Future<Output = ()>> Future for Logged<F> {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if !self.started {
            self.started = true;
            let line = format!("{}: start", self.name);
            self.log.lock().unwrap().push(line);
        }
        match self.work.as_mut().poll(cx) {
            std::task::Poll::Ready(()) => {
                self.finished = true;
                let line = format!("{}: done", self.name);
                self.log.lock().unwrap().push(line);
                std::task::Poll::Ready(())
            }
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

impl<F> Drop for Logged<F> {
    fn drop(&mut self) {
        if self.started && !self.finished {
            let line = format!("{}: cancelled", self.name);
            self.log.lock().unwrap().push(line);
        }
    }
}
// ANCHOR_END: learn-logged-guard
// ANCHOR: learn-logged
    Logged {
        name,
        log,
        work: Box::pin(work),
        started: false,
        finished: false,
    }
    .await
// ANCHOR_END: learn-logged
// ANCHOR: learn-background-detached
    let task: Task<()> = ex.spawn(logged(name.to_string(), log.clone(), work));
    task.detach();
// ANCHOR_END: learn-background-detached
