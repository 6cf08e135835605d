//! Checks for lesson 07 — composing futures. Compiled for both
//! exercises/07-composing-futures and solutions/07-composing-futures.
//!
//! No check measures elapsed time. Timeouts are proven with the blocking
//! detector, poll counters and a ticker task that must keep running while
//! the timeout waits; turns with `LocalExecutor::try_tick`; races with
//! gates, drop probes and `race_with_seed`; streams with pull counters.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use composing_futures::{TimedOut, first_valid, hedge, take_turns, with_timeout};
use futures_lite::{future, stream};
use smol::{Executor, LocalExecutor, Timer};
use testkit::Check;
use testkit::probes::{Counter, DropProbe, Gate, count_polls};

/// How long a probe waits before it decides the code is wrong. Only a wrong
/// solution ever waits this long.
/// A correct solution gets both requests to the gate in its first poll.
const PATIENCE: Duration = Duration::from_secs(1);
/// The watchdog for checks where wrong code hangs: well below the default.
/// The slowest correct check here waits for a 200 ms timer.
const WATCHDOG: Duration = Duration::from_secs(2);

fn check(section: &str) -> Check {
    Check::new()
        .timeout(WATCHDOG)
        .section(&format!("07-composing-futures.md#{section}"))
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/07-composing-futures.md#{section})")
}

mod with_timeout {
    use super::*;

    #[test]
    fn returns_the_output_when_the_work_finishes_first() {
        let out = check("exercise-with_timeout")
            .hint(
                "with_timeout() waited for the whole 60 s limit although the work was done \
                 after one turn. Race the work against the timer with future::or, so the \
                 first one to finish decides; do not wait for both (zip) or sleep first.",
            )
            .run(async {
                let work = async {
                    future::yield_now().await;
                    42
                };
                with_timeout(work, Duration::from_secs(60)).await
            });
        assert_eq!(
            out,
            Ok(42),
            "the work finished long before its 60 s limit, so with_timeout() must return \
             Ok(its output).{}",
            read("exercise-with_timeout")
        );
    }

    #[test]
    fn times_out_without_blocking_and_cancels_the_work() {
        let work_probe = DropProbe::new();
        let token = work_probe.token();
        let (res, ticks, polls) = check("exercise-with_timeout")
            .hint(
                "with_timeout() kept waiting for work that never finishes. The timer must \
                 run *at the same time* as the work: future::or(work, timer), where the \
                 timer is `async { Timer::after(limit).await; Err(TimedOut) }`.",
            )
            .run(async move {
                let ex = Executor::new();
                let done = Arc::new(AtomicBool::new(false));
                let ticks = Counter::new();
                // Work that never finishes (and never wakes anyone).
                let work = async move {
                    let _token = token;
                    future::pending::<u32>().await
                };
                let (timed, polls) = count_polls(with_timeout(work, Duration::from_millis(200)));
                let d = done.clone();
                let waiting = ex.spawn(async move {
                    let res = timed.await;
                    d.store(true, Ordering::SeqCst);
                    res
                });
                // Another task on the same thread: it should get many turns
                // while with_timeout waits for its timer.
                let t = ticks.clone();
                let ticker = ex.spawn(async move {
                    while !done.load(Ordering::SeqCst) {
                        Timer::after(Duration::from_millis(5)).await;
                        t.add(1);
                    }
                });
                let res = ex.run(waiting).await;
                drop(ticker);
                (res, ticks.get(), polls.get())
            });
        assert_eq!(
            res,
            Err(TimedOut),
            "the work never finishes, so with_timeout() must return Err(TimedOut) when \
             the limit passes.{}",
            read("exercise-with_timeout")
        );
        assert!(
            ticks > 0,
            "another task on the same thread got no turn at all while with_timeout() \
             waited for 200 ms: the wait blocked the thread. Wait with \
             smol::Timer::after(..).await, never std::thread::sleep.{}",
            read("exercise-with_timeout")
        );
        assert!(
            polls <= 5,
            "with_timeout() was polled {polls} times while it waited for a 200 ms timer; \
             a timer wakes its task once, so 2 or 3 polls are enough. It busy-waits \
             (a loop that checks the clock and yields): let smol::Timer wake you \
             instead.{}",
            read("exercise-with_timeout")
        );
        assert!(
            work_probe.dropped(),
            "with_timeout() returned Err(TimedOut) but the unfinished work is still alive: \
             it was not cancelled. Dropping a future cancels it, and future::or drops \
             the loser when it returns.{}",
            read("exercise-with_timeout")
        );
    }

    #[test]
    fn returns_the_work_when_it_beats_a_later_timer() {
        // The work needs a few turns (and a short timer) but beats the limit.
        let out = check("exercise-with_timeout")
            .hint(
                "with_timeout() never returned although the work finishes after a few \
                 milliseconds. Race the work against the timer with future::or.",
            )
            .run(async {
                let work = async {
                    Timer::after(Duration::from_millis(10)).await;
                    "done"
                };
                with_timeout(work, Duration::from_secs(60)).await
            });
        assert_eq!(
            out,
            Ok("done"),
            "the work finished well before its limit, so with_timeout() must return \
             Ok(its output).{}",
            read("exercise-with_timeout")
        );
    }
}

mod take_turns {
    use super::*;

    /// Runs one `take_turns` worker per name on a LocalExecutor, driven one
    /// `try_tick` at a time, and returns the shared log and, per tick, how
    /// many steps ran in it.
    fn run_workers(workers: &'static [(&'static str, usize)]) -> (Vec<String>, Vec<usize>) {
        check("exercise-take_turns")
            .hint(
                "take_turns() never finished: it may wait for something that never \
                 happens. Only call step(i) and future::yield_now().await.",
            )
            .run_sync(move || {
                let ex = LocalExecutor::new();
                let log = Rc::new(RefCell::new(Vec::new()));
                let tasks: Vec<_> = workers
                    .iter()
                    .map(|&(name, steps)| {
                        let log = log.clone();
                        ex.spawn(take_turns(steps, move |i| {
                            log.borrow_mut().push(format!("{name}{i}"))
                        }))
                    })
                    .collect();
                let mut per_tick = Vec::new();
                let limit = 10 * workers.iter().map(|w| w.1 + 1).sum::<usize>();
                while !tasks.iter().all(|t| t.is_finished()) {
                    let before = log.borrow().len();
                    if !ex.try_tick() || per_tick.len() > limit {
                        panic!(
                            "the workers stopped making progress after {} ticks (log so far: \
                             {:?}): nothing was left to run, or they never finished. \
                             future::yield_now() wakes its task itself; do not wait for \
                             timers or anything else between steps.{}",
                            per_tick.len(),
                            log.borrow(),
                            read("exercise-take_turns")
                        );
                    }
                    per_tick.push(log.borrow().len() - before);
                }
                // A finished task hands back its output, or re-raises the
                // panic that ended it.
                for task in tasks {
                    future::block_on(task);
                }
                let log = log.borrow().clone();
                (log, per_tick)
            })
    }

    #[test]
    fn two_workers_alternate_exactly() {
        let (log, per_tick) = run_workers(&[("a", 3), ("b", 3)]);
        assert_eq!(
            log,
            ["a0", "b0", "a1", "b1", "a2", "b2"],
            "two workers on one thread should take turns step by step, but the shared log \
             is {log:?}. A worker that never returns Pending runs to the end before the \
             other gets a turn: await future::yield_now() after every step.{}",
            read("exercise-take_turns")
        );
        let most = per_tick.iter().max().copied().unwrap_or(0);
        assert!(
            most <= 1,
            "one turn of the executor (one try_tick) ran {most} steps of a worker; a fair \
             worker does at most one step per turn and then yields.{}",
            read("exercise-take_turns")
        );
    }

    #[test]
    fn three_workers_go_round_robin() {
        let (log, _) = run_workers(&[("a", 2), ("b", 2), ("c", 2)]);
        assert_eq!(
            log,
            ["a0", "b0", "c0", "a1", "b1", "c1"],
            "three workers should go round the table one step each, but the log is \
             {log:?}. Yield after every step (future::yield_now().await), not only \
             now and then.{}",
            read("exercise-take_turns")
        );
    }

    #[test]
    fn a_long_worker_does_not_starve_a_short_one() {
        let (log, _) = run_workers(&[("long", 50), ("short", 1)]);
        let at = log.iter().position(|s| s == "short0");
        assert_eq!(
            at,
            Some(1),
            "the short worker's only step came at position {at:?} of the log, behind the \
             long worker's steps: the long worker kept the thread. After each step, \
             yield so that the others get their turn.{}",
            read("exercise-take_turns")
        );
        assert_eq!(
            log.len(),
            51,
            "expected 50 steps of the long worker and 1 of the short one, got {} in all: \
             call step(i) exactly once for every i in 0..steps.{}",
            log.len(),
            read("exercise-take_turns")
        );
        let long: Vec<_> = log.iter().filter(|s| s.starts_with("long")).collect();
        let want: Vec<String> = (0..50).map(|i| format!("long{i}")).collect();
        assert!(
            long.iter().zip(&want).all(|(a, b)| *a == b),
            "the long worker's steps must be step(0), step(1), ... in order; got {long:?}.{}",
            read("exercise-take_turns")
        );
    }
}

mod hedge {
    use super::*;

    fn two_at_once() -> Gate {
        Gate::with(
            2,
            PATIENCE,
            &format!(
                "hedge() waited for the primary request alone before it sent the backup, \
                 so the two were never in flight together. Race them: \
                 future::race_with_seed(primary, backup, seed).{}",
                read("exercise-hedge")
            ),
        )
    }

    #[test]
    fn the_backup_wins_when_the_primary_hangs_and_the_primary_is_cancelled() {
        let gate = two_at_once();
        let (gp, gb) = (gate.clone(), gate);
        let primary_probe = DropProbe::new();
        let token = primary_probe.token();
        let probe = primary_probe.clone();
        let (out, cancelled_on_return) = check("exercise-hedge").run(async move {
            let primary = async move {
                let _token = token;
                gp.wait().await;
                // This server never answers.
                future::pending::<&str>().await
            };
            let backup = async move {
                gb.wait().await;
                future::yield_now().await;
                "backup"
            };
            let out = hedge(primary, backup, 7).await;
            (out, probe.dropped())
        });
        assert_eq!(
            out,
            "backup",
            "the primary never answers, so hedge() must return the backup's answer.{}",
            read("exercise-hedge")
        );
        assert!(
            cancelled_on_return,
            "hedge() returned the backup's answer, but the primary request was still \
             alive: the loser must be cancelled by the time hedge() returns. A detached \
             task (spawn(..).detach()) keeps running on its own, and a dropped Task is \
             only cancelled later by its executor. Race the futures themselves: dropping \
             the loser cancels it at once.{}",
            read("exercise-hedge")
        );
        assert!(
            primary_probe.dropped(),
            "the losing primary request was never cancelled.{}",
            read("exercise-hedge")
        );
    }

    #[test]
    fn the_primary_wins_when_the_backup_hangs_and_the_backup_is_cancelled() {
        let gate = two_at_once();
        let (gp, gb) = (gate.clone(), gate);
        let backup_probe = DropProbe::new();
        let token = backup_probe.token();
        let probe = backup_probe.clone();
        let (out, cancelled_on_return) = check("exercise-hedge").run(async move {
            let primary = async move {
                gp.wait().await;
                future::yield_now().await;
                "primary"
            };
            let backup = async move {
                let _token = token;
                gb.wait().await;
                future::pending::<&str>().await
            };
            let out = hedge(primary, backup, 7).await;
            (out, probe.dropped())
        });
        assert_eq!(
            out,
            "primary",
            "the backup never answers, so hedge() must return the primary's answer.{}",
            read("exercise-hedge")
        );
        assert!(
            cancelled_on_return,
            "hedge() returned the primary's answer, but the backup request was still \
             alive: the loser must be cancelled by the time hedge() returns. Do not spawn \
             and detach the requests; race the futures themselves.{}",
            read("exercise-hedge")
        );
    }

    #[test]
    fn a_tie_is_decided_fairly_by_the_seed() {
        let (got, again) = check("exercise-hedge").run(async {
            let mut got = Vec::new();
            let mut again = Vec::new();
            for seed in 0..32u64 {
                got.push(hedge(async { "primary" }, async { "backup" }, seed).await);
            }
            for seed in 0..32u64 {
                again.push(hedge(async { "primary" }, async { "backup" }, seed).await);
            }
            (got, again)
        });
        let primary_wins = got.iter().filter(|w| **w == "primary").count();
        assert!(
            primary_wins > 0 && primary_wins < got.len(),
            "both answers were ready at the same moment in 32 races, and the primary won \
             {primary_wins} of them. A fair race lets either side win a tie; future::or \
             always polls its first future first, so it always prefers the primary. Use \
             future::race_with_seed(primary, backup, seed).{}",
            read("exercise-hedge")
        );
        assert_eq!(
            got,
            again,
            "the same 32 tied races, run twice with the same seeds, picked different \
             winners: the seed does not decide. future::race picks with a random seed of \
             its own; let the seed you are given drive the choice \
             (future::race_with_seed) so a run can be reproduced.{}",
            read("exercise-hedge")
        );
    }
}

mod first_valid {
    use super::*;

    #[test]
    fn keeps_the_first_n_valid_readings_in_order() {
        let out = check("exercise-first_valid").run(async {
            let readings = stream::iter([3, -1, 4, -1, 5, 9, -2, 6]);
            first_valid(readings, 4).await
        });
        assert_eq!(
            out,
            [3, 4, 5, 9],
            "from 3, -1, 4, -1, 5, 9, -2, 6 the first 4 valid (>= 0) readings are \
             3, 4, 5, 9. Filter out the negative readings *before* you take n: \
             .filter(..).map(..).take(n).collect().{}",
            read("exercise-first_valid")
        );
    }

    /// A source of 1000 readings (even positions valid, odd ones negative)
    /// that counts how many items were pulled out of it.
    fn counted_source(pulled: Counter) -> impl futures_lite::Stream<Item = i32> {
        stream::unfold(0i32, move |i| {
            let pulled = pulled.clone();
            async move {
                if i >= 1000 {
                    return None;
                }
                pulled.add(1);
                future::yield_now().await;
                let reading = if i % 2 == 0 { i } else { -i };
                Some((reading, i + 1))
            }
        })
    }

    #[test]
    fn reads_no_more_than_it_needs() {
        let pulled = Counter::new();
        let p = pulled.clone();
        let out = check("exercise-first_valid")
            .run(async move { first_valid(counted_source(p), 3).await });
        assert_eq!(
            out,
            [0, 2, 4],
            "the readings are 0, -1, 2, -3, 4, ...; the first 3 valid ones are 0, 2, 4. \
             Filter first, then take(n): take before filter counts the invalid ones too.{}",
            read("exercise-first_valid")
        );
        let pulled = pulled.get();
        assert_eq!(
            pulled,
            5,
            "first_valid(.., 3) pulled {pulled} readings out of the stream, but the 3rd \
             valid one is the 5th reading. Streams are lazy: .take(n) stops pulling as \
             soon as it has n items. Do not collect everything first and cut it down \
             afterwards.{}",
            read("exercise-first_valid")
        );
    }

    #[test]
    fn asking_for_none_reads_nothing() {
        let pulled = Counter::new();
        let p = pulled.clone();
        let out = check("exercise-first_valid")
            .run(async move { first_valid(counted_source(p), 0).await });
        assert!(out.is_empty(), "asked for 0 readings, got {out:?}");
        assert_eq!(
            pulled.get(),
            0,
            "first_valid(.., 0) pulled {} readings out of the stream; asked for none, it \
             should pull none. .take(0) ends at once.{}",
            pulled.get(),
            read("exercise-first_valid")
        );
    }

    #[test]
    fn waits_for_readings_that_arrive_later() {
        let out = check("exercise-first_valid")
            .hint(
                "first_valid() blocked the thread while it waited for the next reading, so \
                 the producer on the same thread never ran. Stay async: use the \
                 StreamExt methods and .await the collect; no stream::block_on, no \
                 future::block_on inside async code.",
            )
            .run(async {
                let (tx, rx) = smol::channel::bounded::<i32>(1);
                let producer = async move {
                    for r in [-5, 1, -5, 2, 3, 4, 5] {
                        Timer::after(Duration::from_millis(1)).await;
                        if tx.send(r).await.is_err() {
                            break; // the pipeline has all it wants
                        }
                    }
                };
                let (out, ()) = future::zip(first_valid(rx, 3), producer).await;
                out
            });
        assert_eq!(
            out,
            [1, 2, 3],
            "readings -5, 1, -5, 2, 3, 4, 5 arrive one at a time; the first 3 valid ones \
             are 1, 2, 3. Filter first, then take(n), and keep pulling until you have n.{}",
            read("exercise-first_valid")
        );
    }
}
