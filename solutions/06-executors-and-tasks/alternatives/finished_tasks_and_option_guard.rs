//! alternative: tick() pops inside a block of its own; until_idle asks each
//! Task is_finished() and only then takes its output; logged's guard holds
//! an Option that completion takes out, and spawn_cancellable wraps the
//! future in an async block.
// ANCHOR: learn-mini_executor-tick
        let next = {
            let mut queue = self.queue.lock().unwrap();
            queue.pop_front()
        };
        if let Some(runnable) = next {
            runnable.run();
            return true;
        }
        false
// ANCHOR_END: learn-mini_executor-tick
// ANCHOR: learn-mini_executor-run
        std::iter::from_fn(|| self.tick().then_some(())).count()
// ANCHOR_END: learn-mini_executor-run
// ANCHOR: learn-until_idle
    let ex = LocalExecutor::new();
    let tasks: Vec<_> = jobs.into_iter().map(|job| ex.spawn(job)).collect();
    let mut polls = 0;
    while ex.try_tick() {
        polls += 1;
    }
    let outputs = tasks
        .into_iter()
        .map(|task| task.is_finished().then(|| future::block_on(task)))
        .collect();
    Idle { outputs, polls }
// ANCHOR_END: learn-until_idle
// ANCHOR: learn-logged-guard
/// While it holds its line, dropping it logs that line.
struct OnDrop(Option<(Log, String)>);

impl Drop for OnDrop {
    fn drop(&mut self) {
        if let Some((log, line)) = self.0.take() {
            log.lock().unwrap().push(line);
        }
    }
}
// ANCHOR_END: learn-logged-guard
// ANCHOR: learn-logged
    log.lock().unwrap().push(format!("{name}: start"));
    let mut on_cancel = OnDrop(Some((log.clone(), format!("{name}: cancelled"))));
    work.await;
    on_cancel.0 = None;
    log.lock().unwrap().push(format!("{name}: done"));
// ANCHOR_END: learn-logged
// ANCHOR: learn-background-kept
    let (name, log) = (name.to_string(), log.clone());
    ex.spawn(async move { logged(name, log, work).await })
// ANCHOR_END: learn-background-kept
