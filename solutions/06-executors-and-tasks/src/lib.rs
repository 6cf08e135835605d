//! Lesson 06 — executors and tasks.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/06-executors-and-tasks (`cargo workshop generate`). Both crates
//! are checked by `tests/06-executors-and-tasks.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. The book
//~ //! chapter is book/src/06-executors-and-tasks.md; `cargo workshop hint 6`
//~ //! gives one hint at a time when you are stuck.
//~ //!
//~ //! Crates you may use: async-task, futures-lite and smol (imported below).
//~ #![allow(unused_variables, unused_imports, dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};

use async_task::{Runnable, Task};
use futures_lite::future;
use smol::{Executor, LocalExecutor};

// GIVEN: what until_idle returns and the shared log of the logged tasks,
// from the lesson crate (lessons/06-executors-and-tasks/src/given.rs).
pub use lesson06_executors_and_tasks::{Idle, Log};

// ANCHOR: mini_executor
/// Exercise `mini_executor`: the smallest useful executor. A run queue of
/// [`Runnable`]s, filled by the tasks' schedule function and emptied, first
/// in first out, by [`MiniExecutor::tick`].
///
/// The checks step it by hand: `spawn` only queues (nothing is polled until
/// a tick), one `tick` polls exactly one task once, tasks that yield run in
/// round-robin (FIFO) order, a waker called from another thread puts its
/// task back in the queue, and dropping a `Task` cancels it. A task that
/// wakes itself while it runs must not deadlock your executor.
/// Read: "The idea" and "Exercise: mini_executor" in the chapter.
#[derive(Clone, Default)]
pub struct MiniExecutor {
    /// The run queue: tasks that are ready to be polled, oldest first.
    queue: Arc<Mutex<VecDeque<Runnable>>>,
}

impl MiniExecutor {
    /// An executor with an empty run queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Turns `future` into a task and puts it in the run queue. Nothing runs
    /// yet: the task is polled only when the executor ticks.
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // ANCHOR: learn-mini_executor-spawn
        let queue = self.queue.clone();
        // Every time the task is woken, async-task hands its Runnable to
        // this function: put it at the back of the line.
        let schedule = move |runnable| queue.lock().unwrap().push_back(runnable);
        let (runnable, task) = async_task::spawn(future, schedule);
        // A new task is ready to run: schedule it once (this calls the
        // schedule function above). Do not run it here.
        runnable.schedule();
        task
        // ANCHOR_END: learn-mini_executor-spawn
    }

    /// Polls the task at the front of the run queue once. Returns `false`
    /// when the queue was empty.
    pub fn tick(&self) -> bool {
        // ANCHOR: learn-mini_executor-tick
        // Take the Runnable out and let the lock go *before* running it: a
        // task that wakes itself calls the schedule function, which needs
        // the same lock.
        let next = self.queue.lock().unwrap().pop_front();
        match next {
            Some(runnable) => {
                runnable.run();
                true
            }
            None => false,
        }
        // ANCHOR_END: learn-mini_executor-tick
    }

    /// Ticks until the run queue is empty and returns how many polls that
    /// took. Tasks that wait for something else stay pending; they come back
    /// into the queue when their waker is woken.
    pub fn run_until_idle(&self) -> usize {
        // ANCHOR: learn-mini_executor-run
        let mut polls = 0;
        while self.tick() {
            polls += 1;
        }
        polls
        // ANCHOR_END: learn-mini_executor-run
    }
}
// ANCHOR_END: mini_executor

// ANCHOR: until_idle
/// Exercise `until_idle`: spawns every job on a `LocalExecutor`, runs the
/// executor with `try_tick` until nothing is ready to run, then reports what
/// finished. Jobs still waiting are cancelled. Never waits for anything.
///
/// The checks give three jobs that yield between steps (they must run in
/// round-robin order and all finish), a job that waits for something that
/// never comes (it must be reported as `None`, and be dropped when you
/// return), and count the polls exactly.
/// Read: "Exercise: until_idle" in the chapter.
pub fn until_idle<F: Future>(jobs: Vec<F>) -> Idle<F::Output> {
    // ANCHOR: learn-until_idle
    let ex = LocalExecutor::new();
    // Spawn them all first (this only queues them), and keep every Task:
    // a dropped Task is a cancelled task.
    let mut tasks: Vec<Task<F::Output>> = jobs.into_iter().map(|job| ex.spawn(job)).collect();
    // One try_tick = one poll of the task at the front of the queue.
    let mut polls = 0;
    while ex.try_tick() {
        polls += 1;
    }
    // Collect without waiting: poll_once gives Some(output) for a finished
    // task and None for one that is still pending.
    let outputs = tasks
        .iter_mut()
        .map(|task| future::block_on(future::poll_once(task)))
        .collect();
    // `tasks` drops here: the unfinished ones are cancelled.
    Idle { outputs, polls }
    // ANCHOR_END: learn-until_idle
}
// ANCHOR_END: until_idle

// ANCHOR: logged
// ANCHOR: learn-logged-guard
//~ // Room for any helper type of your own.
/// Logs "`name`: cancelled" if it is dropped while still armed.
struct CancelGuard {
    name: String,
    log: Log,
    armed: bool,
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if self.armed {
            self.log
                .lock()
                .unwrap()
                .push(format!("{}: cancelled", self.name));
        }
    }
}
// ANCHOR_END: learn-logged-guard

/// Exercise `logged`: runs `work` and logs "`name`: start" when first polled,
/// "`name`: done" when `work` completes, and "`name`: cancelled" when the
/// future is dropped after it started but before it completed.
///
/// Nothing is logged before the first poll. The checks poll it once, drop
/// it while `work` still waits, and expect exactly `start` then `cancelled`
/// (and `work` dropped too); run to the end, exactly `start`, the work's own
/// lines, `done`. Code after an `.await` never runs when the future is
/// dropped there: think about what *does* run.
/// Read: "Exercise: logged" in the chapter.
pub async fn logged<F: Future<Output = ()>>(name: String, log: Log, work: F) {
    // ANCHOR: learn-logged
    log.lock().unwrap().push(format!("{name}: start"));
    let mut guard = CancelGuard {
        name,
        log,
        armed: true,
    };
    // If the task is cancelled while waiting here, this future is dropped at
    // this .await and the guard's Drop runs.
    work.await;
    guard.armed = false;
    let done = format!("{}: done", guard.name);
    guard.log.lock().unwrap().push(done);
    // ANCHOR_END: learn-logged
}
// ANCHOR_END: logged

// ANCHOR: background
/// Exercise `background`, part 1: fire and forget. Runs `logged(name, log,
/// work)` as a task on `ex` that keeps running with nobody holding it.
///
/// The checks tick `ex` by hand: spawning only queues the task on *that*
/// executor, and the task runs to `done` although nobody holds it.
/// Read: "Exercise: background" in the chapter.
pub fn spawn_logged<F>(ex: &Executor<'static>, name: &str, log: &Log, work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    // ANCHOR: learn-background-detached
    // detach() lets the task run to the end on its own. Without it, the
    // Task would be dropped here, and dropping a Task cancels it.
    ex.spawn(logged(name.to_string(), log.clone(), work))
        .detach();
    // ANCHOR_END: learn-background-detached
}

/// Exercise `background`, part 2: the same task, but the caller keeps the
/// handle: awaiting it waits for the work, dropping it cancels the work
/// (the checks drop it mid-work and expect `cancelled` in the log).
pub fn spawn_cancellable<F>(ex: &Executor<'static>, name: &str, log: &Log, work: F) -> Task<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    // ANCHOR: learn-background-kept
    ex.spawn(logged(name.to_string(), log.clone(), work))
    // ANCHOR_END: learn-background-kept
}
// ANCHOR_END: background
