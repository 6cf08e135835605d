//! Lesson 06 — executors and tasks.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/06-executors-and-tasks.md; `cargo workshop hint 6`
//! gives a hint when you are stuck.
#![allow(unused_variables, unused_imports, dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};

use async_task::{Runnable, Task};
use futures_lite::future;
use smol::{Executor, LocalExecutor};

/// Exercise `mini_executor`: the smallest useful executor. A run queue of
/// [`Runnable`]s, filled by the tasks' schedule function and emptied, first
/// in first out, by [`MiniExecutor::tick`].
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
        // TODO: clone `self.queue` into a schedule closure
        // `move |runnable: Runnable| ...` that pushes the runnable to the BACK
        // of the queue. Call `async_task::spawn(future, schedule)` to get
        // `(runnable, task)`, call `runnable.schedule()` once (do NOT call
        // `runnable.run()` here), and return the task.
        todo!()
    }

    /// Polls the task at the front of the run queue once. Returns `false`
    /// when the queue was empty.
    pub fn tick(&self) -> bool {
        // TODO: pop the FRONT Runnable in its own statement, so the lock is
        // released before the task runs (a task that wakes itself calls the
        // schedule function, which locks the queue again). If there was one,
        // call `runnable.run()` and return true; otherwise return false.
        todo!()
    }

    /// Ticks until the run queue is empty and returns how many polls that
    /// took. Tasks that wait for something else stay pending; they come back
    /// into the queue when their waker is woken.
    pub fn run_until_idle(&self) -> usize {
        // TODO: call `self.tick()` until it returns false; return how many
        // times it returned true.
        todo!()
    }
}

/// What [`until_idle`] saw: each job's output if it finished, and how many
/// polls the executor ran in all.
#[derive(Debug, PartialEq, Eq)]
pub struct Idle<T> {
    /// `Some(output)` for a job that finished, `None` for one that was still
    /// waiting (it has been cancelled).
    pub outputs: Vec<Option<T>>,
    /// How many times `try_tick` ran a task.
    pub polls: usize,
}

/// Exercise `until_idle`: spawns every job on a `LocalExecutor`, runs the
/// executor with `try_tick` until nothing is ready to run, then reports what
/// finished. Jobs still waiting are cancelled.
pub fn until_idle<F: Future>(jobs: Vec<F>) -> Idle<F::Output> {
    // TODO: make a `LocalExecutor::new()` and `ex.spawn(job)` EVERY job
    // first, keeping the Tasks in a Vec (a dropped Task is cancelled). Then
    // call `ex.try_tick()` until it returns false, counting the trues in
    // `polls`. Never wait: no `ex.run`, no `block_on(task)` on a pending
    // task. For each task, `future::block_on(future::poll_once(&mut task))`
    // is Some(output) if it finished and None if not. Return
    // `Idle { outputs, polls }`; the unfinished Tasks are dropped (cancelled).
    todo!()
}

/// A shared, ordered log of what happened.
pub type Log = Arc<Mutex<Vec<String>>>;

/// Exercise `logged`: runs `work` and logs "`name`: start" when first polled,
/// "`name`: done" when `work` completes, and "`name`: cancelled" when the
/// future is dropped after it started but before it completed.
pub async fn logged<F: Future<Output = ()>>(name: String, log: Log, work: F) {
    // TODO: push format!("{name}: start") to the log. Then create a guard: a
    // small struct of your own (name, log, `armed: bool`) whose `Drop` pushes
    // format!("{name}: cancelled") while it is armed. `work.await`, disarm
    // the guard, and push format!("{name}: done"). If the future is dropped
    // during `work.await`, only the guard's Drop runs.
    todo!()
}

/// Exercise `background`, part 1: fire and forget. Runs `logged(name, log,
/// work)` as a task on `ex` that keeps running with nobody holding it.
pub fn spawn_logged<F>(ex: &Executor<'static>, name: &str, log: &Log, work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    // TODO: `ex.spawn(logged(name.to_string(), log.clone(), work))` and call
    // `.detach()` on the Task it returns (dropping the Task would cancel it).
    todo!()
}

/// Exercise `background`, part 2: the same task, but the caller keeps the
/// handle: awaiting it waits for the work, dropping it cancels the work.
pub fn spawn_cancellable<F>(ex: &Executor<'static>, name: &str, log: &Log, work: F) -> Task<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    // TODO: spawn `logged(name.to_string(), log.clone(), work)` on `ex` and
    // return the Task (do not detach it).
    todo!()
}
