//! Checks for lesson 06 — executors and tasks. Compiled for both
//! exercises/06-executors-and-tasks and solutions/06-executors-and-tasks.
//!
//! Every executor here is stepped by hand (`tick`, `try_tick`), so the order
//! in which tasks run is a fact that can be compared exactly, and nothing in
//! a check depends on a clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use executors_and_tasks::{
    Idle, Log, MiniExecutor, logged, spawn_cancellable, spawn_logged, until_idle,
};
use futures_lite::future;
use smol::Executor;
use testkit::Check;
use testkit::probes::{Counter, DropProbe, WakeProbe, poll_with};

const BOOK: &str = "06-executors-and-tasks.md";

/// A check for one exercise: a watchdog well below the default, because a
/// hang here always means a mistake.
fn check(exercise: &str) -> Check {
    Check::new()
        .section(&format!("{BOOK}#exercise-{exercise}"))
        .timeout(Duration::from_secs(2))
}

/// Fails the check with a message that points at the exercise's section.
#[track_caller]
fn fail(exercise: &str, message: &str) -> ! {
    testkit::fail(&format!("{BOOK}#exercise-{exercise}"), message)
}

/// A shared list of what happened, in order.
fn events() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn seen(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A job that records "`name`1", "`name`2", ... one step per poll: between
/// two steps it yields, which wakes its own waker and hands the thread back
/// to the executor. Returns its name.
async fn stepper(log: Log, name: &'static str, steps: usize) -> &'static str {
    for i in 1..=steps {
        log.lock().unwrap().push(format!("{name}{i}"));
        if i < steps {
            future::yield_now().await;
        }
    }
    name
}

/// The round-robin order of three 3-step jobs A, B, C on a FIFO run queue.
const ROUND_ROBIN: [&str; 9] = ["A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"];

mod mini_executor {
    use super::*;

    const EX: &str = "mini_executor";
    const LOCK_HELD: &str = "the run queue's Mutex was still locked while a Runnable ran. A task \
        that wakes itself (yield_now, or any waker called during its poll) calls the schedule \
        function, which locks the same queue: the thread waits for itself. Pop the Runnable in \
        one statement (`let next = queue.lock().unwrap().pop_front();`), so the guard is \
        dropped, and only then call `run()`. (`while let Some(r) = queue.lock()...` keeps the \
        guard alive for the whole loop body.)";

    fn check() -> Check {
        super::check(EX).hint(LOCK_HELD)
    }

    #[test]
    fn spawn_only_queues_the_task() {
        check().run_sync(|| {
            let ex = MiniExecutor::new();
            let ran = Counter::new();
            let c = ran.clone();
            let mut task = ex.spawn(async move {
                c.add(1);
                7
            });
            if ran.get() != 0 {
                fail(
                    EX,
                    "the task ran inside spawn(), before the executor ticked. A task does \
                     nothing until the executor runs it: spawn() must only put the Runnable \
                     in the run queue (`runnable.schedule()`), not call `runnable.run()`.",
                );
            }
            if !ex.tick() {
                fail(
                    EX,
                    "tick() found nothing to run right after a spawn. spawn() must put the new \
                     task in the run queue with `runnable.schedule()`; a Runnable that is \
                     dropped instead is a cancelled task.",
                );
            }
            if ran.get() != 1 {
                fail(
                    EX,
                    &format!(
                        "after one tick() the task had run {} times, expected once: tick() \
                         pops one Runnable and calls `run()` on it, which polls the task once.",
                        ran.get()
                    ),
                );
            }
            let out = future::block_on(future::poll_once(&mut task));
            assert_eq!(
                out,
                Some(7),
                "the task had run, so its Task must hold its output 7\n  (read: book/src/{BOOK}#exercise-{EX})"
            );
        });
    }

    #[test]
    fn tick_polls_one_task_once_and_reports_an_empty_queue() {
        check().run_sync(|| {
            let ex = MiniExecutor::new();
            if ex.tick() {
                fail(
                    EX,
                    "tick() on an empty executor returned true. Return false when the run \
                     queue is empty: that is how run_until_idle knows to stop.",
                );
            }
            let log = events();
            let a = ex.spawn(stepper(log.clone(), "A", 3));
            let b = ex.spawn(stepper(log.clone(), "B", 3));
            if !seen(&log).is_empty() {
                fail(
                    EX,
                    &format!(
                        "the tasks ran inside spawn() (log before any tick: {:?}). spawn() \
                         must only queue the task with `runnable.schedule()`; tick() runs it.",
                        seen(&log)
                    ),
                );
            }
            let mut after = Vec::new();
            for _ in 0..3 {
                if !ex.tick() {
                    fail(
                        EX,
                        &format!(
                            "tick() returned false while two tasks still had work to do (seen \
                             so far: {:?}). A task that yields is woken and its Runnable comes \
                             back through the schedule function: it must land in the same \
                             queue that tick() pops from.",
                            seen(&log)
                        ),
                    );
                }
                after.push(seen(&log));
            }
            let want = [
                strings(&["A1"]),
                strings(&["A1", "B1"]),
                strings(&["A1", "B1", "A2"]),
            ];
            if after != want {
                fail(
                    EX,
                    &format!(
                        "expected each tick() to poll exactly one task once, the oldest in \
                         the queue first:\n    after tick 1, 2, 3: {want:?}\n  but saw:\n    \
                         {after:?}\n  tick() runs ONE Runnable (pop_front + run), it does not \
                         loop; a task that yields goes to the back of the queue."
                    ),
                );
            }
            drop((a, b));
        });
    }

    #[test]
    fn run_until_idle_polls_in_fifo_order() {
        check().run_sync(|| {
            let ex = MiniExecutor::new();
            let log = events();
            let tasks: Vec<_> = ["A", "B", "C"]
                .into_iter()
                .map(|name| ex.spawn(stepper(log.clone(), name, 3)))
                .collect();
            let polls = ex.run_until_idle();
            let got = seen(&log);
            if got != strings(&ROUND_ROBIN) {
                let why = if got.first().map(String::as_str) == Some("C1") {
                    "The newest task ran first: that is a stack (LIFO). A run queue is a \
                     line: push_back in the schedule function, pop_front in tick()."
                } else if got.is_empty() {
                    "Nothing ran at all: spawn() must schedule the Runnable and \
                     run_until_idle() must tick until tick() returns false."
                } else if ROUND_ROBIN.starts_with(&got.iter().map(String::as_str).collect::<Vec<_>>()) {
                    "run_until_idle() stopped while tasks were still in the queue. Loop \
                     until tick() returns false, not a fixed number of times: a task that \
                     yields comes back into the queue."
                } else {
                    "Each tick() polls the task at the front of the queue once; a task that \
                     yields is woken and goes to the back (the schedule function pushes it)."
                };
                fail(
                    EX,
                    &format!(
                        "three tasks of three steps each, spawned A, B, C, must take turns in \
                         FIFO order:\n    expected {ROUND_ROBIN:?}\n    got      {got:?}\n  {why}"
                    ),
                );
            }
            if polls != 9 {
                fail(
                    EX,
                    &format!(
                        "run_until_idle() returned {polls}, but the executor polled the tasks \
                         9 times (3 tasks x 3 steps). Count one poll for every tick() that \
                         returned true."
                    ),
                );
            }
            let outs: Vec<_> = tasks
                .into_iter()
                .map(|mut t| future::block_on(future::poll_once(&mut t)))
                .collect();
            assert_eq!(
                outs,
                vec![Some("A"), Some("B"), Some("C")],
                "every task finished, so every Task must hold its output\n  (read: book/src/{BOOK}#exercise-{EX})"
            );
        });
    }

    #[test]
    fn a_waker_from_another_thread_puts_the_task_back_in_the_queue() {
        check().run_sync(|| {
            let ex = MiniExecutor::new();
            let (tx, rx) = smol::channel::bounded::<u32>(1);
            let mut task = ex.spawn(async move { rx.recv().await.unwrap() * 2 });
            let first = ex.run_until_idle();
            if first != 1 {
                fail(
                    EX,
                    &format!(
                        "a task that waits for a message should be polled once and then wait \
                         (Pending, out of the queue), but run_until_idle() reported {first} \
                         polls. (0 means the task never came through the queue: spawn() must \
                         call `runnable.schedule()`, not run the Runnable or drop it.)"
                    ),
                );
            }
            let again = ex.run_until_idle();
            if again != 0 {
                fail(
                    EX,
                    &format!(
                        "nothing had woken the waiting task, yet run_until_idle() polled \
                         {again} times. A pending task leaves the queue until its waker is \
                         woken."
                    ),
                );
            }
            // The message arrives from another thread: its waker calls the
            // schedule function over there.
            std::thread::spawn(move || tx.send_blocking(21).unwrap())
                .join()
                .unwrap();
            let woken = ex.run_until_idle();
            if woken != 1 {
                fail(
                    EX,
                    &format!(
                        "the waiting task was woken (from another thread), so its Runnable \
                         must be back in the run queue and run_until_idle() must poll it once, \
                         but it reported {woken} polls. The schedule function must push into \
                         the SAME shared queue that tick() pops from (clone the Arc into it)."
                    ),
                );
            }
            let out = future::block_on(future::poll_once(&mut task));
            assert_eq!(
                out,
                Some(42),
                "the woken task received 21 and returned 42\n  (read: book/src/{BOOK}#exercise-{EX})"
            );
        });
    }

    #[test]
    fn dropping_a_task_cancels_it_and_runs_its_destructors() {
        check().run_sync(|| {
            let ex = MiniExecutor::new();
            let probe = DropProbe::new();
            let token = probe.token();
            let task = ex.spawn(async move {
                let _token = token;
                future::pending::<()>().await
            });
            let polls = ex.run_until_idle();
            if polls != 1 || probe.dropped() {
                fail(
                    EX,
                    &format!(
                        "a task that waits forever must be polled once and then stay alive, \
                         pending, while its Task is held; run_until_idle() reported {polls} \
                         polls and the future was {}. spawn() must queue the Runnable with \
                         `runnable.schedule()`; running it in spawn() skips the queue, and a \
                         Runnable dropped unrun cancels the task.",
                        if probe.dropped() {
                            "already dropped"
                        } else {
                            "alive"
                        }
                    ),
                );
            }
            drop(task);
            // Dropping the Task schedules the task one last time, so the
            // executor drops its future on its own thread.
            ex.run_until_idle();
            if !probe.dropped() {
                fail(
                    EX,
                    "the Task was dropped, which cancels the task, but its future (and \
                     everything it owned) was never dropped. Cancelling schedules the task \
                     once more: run_until_idle() must run every Runnable in the queue, and \
                     running a cancelled one drops its future.",
                );
            }
        });
    }
}

mod until_idle {
    use super::*;

    const EX: &str = "until_idle";
    const WAITED: &str = "until_idle waited for a job that never finishes. `ex.run(..)`, \
        `block_on(task)` and `ex.tick().await` all wait for something to happen; `try_tick()` \
        never waits. Call `ex.try_tick()` until it returns false, then collect the outputs \
        with `future::block_on(future::poll_once(&mut task))`, which is None for a pending task.";

    type Job = Pin<Box<dyn Future<Output = &'static str>>>;

    #[test]
    fn runs_every_job_in_turn_in_fifo_order() {
        let (report, got) = check(EX).hint(WAITED).run_sync(|| {
            let log = events();
            let jobs = vec![
                stepper(log.clone(), "A", 3),
                stepper(log.clone(), "B", 3),
                stepper(log.clone(), "C", 3),
            ];
            let report = until_idle(jobs);
            (report, seen(&log))
        });
        if got != strings(&ROUND_ROBIN) {
            let why = if got.is_empty() {
                "No job ever ran. `ex.spawn(job)` returns a Task, and dropping a Task \
                 cancels it: keep every Task in a Vec until you have their outputs."
            } else if got.starts_with(&strings(&["A1", "A2"])) {
                "Job A ran to the end before B started: spawn ALL jobs first (that only \
                 queues them), then tick. Spawning and ticking one job at a time runs them \
                 one after another."
            } else {
                "Spawn the jobs in order, then let try_tick() take them from the front of \
                 the queue: a job that yields goes to the back."
            };
            fail(
                EX,
                &format!(
                    "three jobs of three steps each must take turns on the executor:\n    \
                     expected {ROUND_ROBIN:?}\n    got      {got:?}\n  {why}"
                ),
            );
        }
        if report.outputs != vec![Some("A"), Some("B"), Some("C")] {
            fail(
                EX,
                &format!(
                    "all three jobs finished, so outputs must be [Some(\"A\"), Some(\"B\"), \
                     Some(\"C\")] in the order of the jobs, got {:?}",
                    report.outputs
                ),
            );
        }
        if report.polls != 9 {
            fail(
                EX,
                &format!(
                    "polls must count the tasks try_tick() ran: 3 jobs x 3 steps = 9, got {}. \
                     Add one for every try_tick() that returns true.",
                    report.polls
                ),
            );
        }
    }

    #[test]
    fn a_waiting_job_is_reported_as_none_and_cancelled() {
        let probe = DropProbe::new();
        let token = probe.token();
        let report: Idle<&'static str> = check(EX).hint(WAITED).run_sync(move || {
            let jobs: Vec<Job> = vec![
                Box::pin(async { "ready" }),
                Box::pin(async move {
                    let _token = token;
                    // Waits for a message that never comes.
                    future::pending::<&'static str>().await
                }),
                Box::pin(async {
                    future::yield_now().await;
                    "after a yield"
                }),
            ];
            until_idle(jobs)
        });
        if report.outputs != vec![Some("ready"), None, Some("after a yield")] {
            fail(
                EX,
                &format!(
                    "expected [Some(\"ready\"), None, Some(\"after a yield\")]: one entry per job, in \
                     the order of the jobs, and the middle job waits forever, so it is None; \
                     got {:?}. (Keep every Task: a dropped Task is cancelled and has no output.)",
                    report.outputs
                ),
            );
        }
        if report.polls != 4 {
            fail(
                EX,
                &format!(
                    "the executor polled 4 times (1 + 1 + 2: the yielding job needs two polls), \
                     but polls is {}. Count every try_tick() that returns true.",
                    report.polls
                ),
            );
        }
        if !probe.dropped() {
            fail(
                EX,
                "the waiting job was still alive after until_idle returned. Its Task must be \
                 dropped (that cancels it) along with the executor, not detached or leaked.",
            );
        }
    }
}

mod logged {
    use super::*;

    const EX: &str = "logged";

    #[test]
    fn logs_start_before_the_work_and_done_after_it() {
        let got = check(EX).run_sync(|| {
            let log = events();
            let l = log.clone();
            let work = async move {
                future::yield_now().await;
                l.lock().unwrap().push("a: working".to_string());
            };
            future::block_on(logged("a".to_string(), log.clone(), work));
            seen(&log)
        });
        let want = strings(&["a: start", "a: working", "a: done"]);
        if got != want {
            let why = if got.last().map(String::as_str) == Some("a: cancelled") {
                "The work completed, yet \"cancelled\" was logged: the guard must be disarmed \
                 (or forgotten) once the work is done, before it drops."
            } else {
                "Log \"start\" first, then `work.await`, then \"done\"."
            };
            fail(
                EX,
                &format!("expected the log {want:?}, got {got:?}.\n  {why}"),
            );
        }
    }

    #[test]
    fn a_future_dropped_mid_work_logs_cancelled_and_drops_the_work() {
        check(EX).run_sync(|| {
            let log = events();
            let probe = DropProbe::new();
            let token = probe.token();
            let work = async move {
                let _token = token;
                future::pending::<()>().await
            };
            let mut fut = Box::pin(logged("b".to_string(), log.clone(), work));
            if !seen(&log).is_empty() {
                fail(
                    EX,
                    "something was logged before the future was ever polled: a future does \
                     nothing until it is polled.",
                );
            }
            let (_wakes, waker) = WakeProbe::new();
            let first = poll_with(fut.as_mut(), &waker);
            if first.is_ready() || seen(&log) != strings(&["b: start"]) {
                fail(
                    EX,
                    &format!(
                        "after one poll, with the work still waiting, the log must be \
                         [\"b: start\"] and the future Pending; got {:?} ({:?})",
                        seen(&log),
                        first
                    ),
                );
            }
            drop(fut);
            let got = seen(&log);
            if got != strings(&["b: start", "b: cancelled"]) {
                fail(
                    EX,
                    &format!(
                        "the future was dropped while its work was waiting: that is what \
                         cancelling a task does. Expected [\"b: start\", \"b: cancelled\"], got \
                         {got:?}. Code after an .await never runs when the future is dropped \
                         there; only destructors do. Log \"cancelled\" from the Drop of a guard \
                         you create after \"start\"."
                    ),
                );
            }
            if !probe.dropped() {
                fail(
                    EX,
                    "logged's future was dropped but the work inside it was not: own `work` \
                     and .await it inside logged, so dropping logged drops the work.",
                );
            }
        });
    }
}

mod background {
    use super::*;

    const EX: &str = "background";
    const DROPPED: &str = "The task never ran: the Task returned by `ex.spawn(..)` was \
        dropped inside spawn_logged, and dropping a Task cancels it (`let _ = ex.spawn(..)` \
        drops it at once). Call `.detach()` on it to let it run in the background with \
        nobody holding it.";

    /// Runs `ex` by hand until no task is ready; returns the number of polls.
    fn tick_until_idle(ex: &Executor<'static>) -> usize {
        let mut polls = 0;
        while ex.try_tick() {
            polls += 1;
        }
        polls
    }

    /// When the log shows a mistake inside `logged` rather than in the
    /// spawning, says so.
    fn about_logged(got: &[String]) -> &'static str {
        let done = got.iter().any(|e| e.ends_with(": done"));
        let cancelled = got.iter().any(|e| e.ends_with(": cancelled"));
        if done && cancelled {
            "\"cancelled\" was logged after \"done\": the guard in logged() must be disarmed \
             once the work completes (exercise logged)."
        } else {
            ""
        }
    }

    #[test]
    fn spawn_logged_only_queues_the_task_on_the_given_executor() {
        check(EX).run_sync(|| {
            let ex = Executor::new();
            let log = events();
            let ran = Counter::new();
            let c = ran.clone();
            spawn_logged(&ex, "job", &log, async move { c.add(1) });
            if ex.is_empty() {
                fail(
                    EX,
                    "no task was spawned on `ex`, the executor spawn_logged was given \
                     (smol::spawn uses a different, global executor; block_on runs the work \
                     right there instead of in a task).",
                );
            }
            if ran.get() != 0 || !seen(&log).is_empty() {
                fail(
                    EX,
                    &format!(
                        "spawn_logged did the work itself (log: {:?}) before the executor ran. \
                         It must only spawn a task on `ex`; the executor runs it later.",
                        seen(&log)
                    ),
                );
            }
            tick_until_idle(&ex);
            let got = seen(&log);
            if got.is_empty() {
                fail(EX, DROPPED);
            }
            if got != strings(&["job: start", "job: done"]) || ran.get() != 1 {
                fail(
                    EX,
                    &format!(
                        "expected the task to log [\"job: start\", \"job: done\"] and run the \
                         work once; got {got:?} and {} runs. Spawn `logged(name, log, work)`. \
                         {}",
                        ran.get(),
                        about_logged(&got)
                    ),
                );
            }
        });
    }

    #[test]
    fn a_detached_task_finishes_with_nobody_holding_it() {
        check(EX).run_sync(|| {
            let ex = Executor::new();
            let log = events();
            let probe = DropProbe::new();
            let token = probe.token();
            let (tx, rx) = smol::channel::bounded::<()>(1);
            spawn_logged(&ex, "bg", &log, async move {
                let _token = token;
                rx.recv().await.unwrap();
            });
            if ex.is_empty() {
                fail(
                    EX,
                    "no task was spawned on `ex`, the executor spawn_logged was given \
                     (smol::spawn uses a different, global executor).",
                );
            }
            tick_until_idle(&ex);
            let got = seen(&log);
            if got.is_empty() {
                fail(EX, DROPPED);
            }
            if got != strings(&["bg: start"]) {
                fail(
                    EX,
                    &format!(
                        "the work waits for a message, so after the executor went idle the \
                         log must be [\"bg: start\"]; got {got:?}. Spawn \
                         `logged(name, log, work)` and detach it."
                    ),
                );
            }
            // Ignore a closed channel: the check below explains it.
            let _ = tx.try_send(());
            tick_until_idle(&ex);
            let got = seen(&log);
            if got != strings(&["bg: start", "bg: done"]) || !probe.dropped() {
                fail(
                    EX,
                    &format!(
                        "once its message arrived, the detached task must finish on its own: \
                         expected [\"bg: start\", \"bg: done\"], got {got:?}. {}",
                        match about_logged(&got) {
                            "" =>
                                "A detached task runs until its future completes; only \
                                   dropping the executor stops it.",
                            other => other,
                        }
                    ),
                );
            }
        });
    }

    #[test]
    fn dropping_the_cancellable_task_cancels_the_work() {
        check(EX).run_sync(|| {
            let ex = Executor::new();
            let log = events();
            let probe = DropProbe::new();
            let token = probe.token();
            let task = spawn_cancellable(&ex, "c", &log, async move {
                let _token = token;
                future::pending::<()>().await
            });
            tick_until_idle(&ex);
            let got = seen(&log);
            if got != strings(&["c: start"]) {
                fail(
                    EX,
                    &format!(
                        "spawn_cancellable must spawn `logged(name, log, work)` on `ex` and \
                         return its Task; after the executor ran, expected [\"c: start\"], got \
                         {got:?}."
                    ),
                );
            }
            drop(task);
            // The cancelled task is scheduled once more, so the executor
            // drops its future.
            tick_until_idle(&ex);
            let got = seen(&log);
            if got != strings(&["c: start", "c: cancelled"]) || !probe.dropped() {
                fail(
                    EX,
                    &format!(
                        "the returned Task was dropped, which must cancel the work: expected \
                         [\"c: start\", \"c: cancelled\"] and the work's destructors run, got \
                         {got:?} (work dropped: {}). {}",
                        probe.dropped(),
                        if probe.dropped() {
                            "The work was dropped but logged() did not log \"cancelled\": it \
                             needs its drop guard (exercise logged)."
                        } else {
                            "The work is still alive: return the Task of the task that runs \
                             it; a detached task cannot be cancelled."
                        }
                    ),
                );
            }
            if !ex.is_empty() {
                fail(
                    EX,
                    "a task is still alive on the executor after the only Task was dropped: \
                     spawn exactly one task and return it, do not detach another.",
                );
            }
        });
    }

    #[test]
    fn awaiting_the_cancellable_task_waits_for_the_work() {
        let got = check(EX).run_sync(|| {
            let ex = Executor::new();
            let log = events();
            let l = log.clone();
            let task = spawn_cancellable(&ex, "d", &log, async move {
                future::yield_now().await;
                l.lock().unwrap().push("d: working".to_string());
            });
            future::block_on(ex.run(task));
            seen(&log)
        });
        let want = strings(&["d: start", "d: working", "d: done"]);
        if got != want {
            fail(
                EX,
                &format!(
                    "awaiting the returned Task must wait for the whole work: expected \
                     {want:?}, got {got:?}. {}",
                    about_logged(&got)
                ),
            );
        }
    }
}
