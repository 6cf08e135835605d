//! Checks for lesson 01 — waiting in line. Compiled for both
//! exercises/01-sync-vs-async and solutions/01-sync-vs-async.
//!
//! Concurrency is proven with gates that open only when every order is in
//! progress at the same time; no check measures elapsed time.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use futures_lite::future;
use smol::Timer;
use sync_vs_async::{both, on_one_thread, try_both, with_threads};
use testkit::Check;
use testkit::probes::{DropProbe, Gate};

/// How long a gate waits for every order to arrive. A correct solution gets
/// there in microseconds; one that waits in line never does.
const PATIENCE: Duration = Duration::from_secs(1);

/// An error of its own type, so a check can tell the original error (which
/// downcasts to it, with or without context added) from a new error that
/// only quotes its text.
#[derive(Debug)]
struct Spill(&'static str);

impl std::fmt::Display for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Spill {}

/// Whether `err` is (or wraps, through `context`) the `Spill` that was
/// returned.
fn is_the_original(err: &anyhow::Error, what: &str) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<Spill>().is_some_and(|s| s.0 == what))
}

fn check(section: &str) -> Check {
    Check::new().section(&format!("01-sync-vs-async.md#{section}"))
}

mod both {
    use super::*;

    #[test]
    fn waits_for_both_at_the_same_time() {
        let gate = Gate::with(
            2,
            PATIENCE,
            "both() awaited `a` to the end before it started `b`, so `a` waited \
             in line alone. Start both before waiting for either.",
        );
        let (ga, gb) = (gate.clone(), gate);
        let out = check("exercise-both").run(async move {
            let a = async move {
                ga.wait().await;
                1
            };
            let b = async move {
                gb.wait().await;
                "two"
            };
            both(a, b).await
        });
        assert_eq!(
            out,
            (1, "two"),
            "both() must return (output of a, output of b) in that order"
        );
    }

    #[test]
    fn keeps_each_output_in_its_place_whoever_finishes_first() {
        let out = check("exercise-both").run(async {
            let slow = async {
                for _ in 0..5 {
                    future::yield_now().await;
                }
                "slow a"
            };
            let fast = async { "fast b" };
            both(slow, fast).await
        });
        assert_eq!(
            out,
            ("slow a", "fast b"),
            "the first element is a's output even when b finishes first"
        );
    }
}

mod try_both {
    use super::*;

    #[test]
    fn returns_both_values_when_both_succeed() {
        let gate = Gate::with(
            2,
            PATIENCE,
            "try_both() awaited `a` to the end before it started `b`. Start both \
             before waiting for either.",
        );
        let (ga, gb) = (gate.clone(), gate);
        let out = check("exercise-try_both").run(async move {
            let a = async move {
                ga.wait().await;
                Ok(7)
            };
            let b = async move {
                gb.wait().await;
                Ok("seven")
            };
            try_both(a, b).await
        });
        assert_eq!(out.expect("both orders succeeded"), (7, "seven"));
    }

    #[test]
    fn returns_the_first_error_at_once_and_cancels_the_other() {
        let other = DropProbe::new();
        let token = other.token();
        let gate = Gate::with(
            2,
            PATIENCE,
            "try_both() awaited `a` to the end before it started `b`.",
        );
        let (ga, gb) = (gate.clone(), gate);
        let res = check("exercise-try_both").run(async move {
            let a = async move {
                ga.wait().await;
                Err::<u32, _>(anyhow::Error::new(Spill("the oven is on fire")))
            };
            let b = async move {
                let _token = token;
                gb.wait().await;
                // This order never finishes on its own.
                future::pending::<anyhow::Result<u32>>().await
            };
            let gave_up = async {
                Timer::after(PATIENCE).await;
                panic!(
                    "try_both() was still waiting for the other order {} s after the \
                     first one failed. Return the first error as soon as it arrives; do \
                     not wait for both to finish.\n  \
                     (read: book/src/01-sync-vs-async.md#exercise-try_both)",
                    PATIENCE.as_secs_f64()
                )
            };
            future::or(try_both(a, b), gave_up).await
        });
        let err = res.expect_err("a failed, so try_both must return Err");
        assert!(
            is_the_original(&err, "the oven is on fire"),
            "the caller must get the original error (one it can downcast), got `{err:#}`. \
             A new error that only quotes the original's text is not it: pass the error \
             on unchanged.\n  (read: book/src/01-sync-vs-async.md#exercise-try_both)"
        );
        assert!(
            other.dropped(),
            "the other order was not cancelled when try_both returned: it is still \
             alive somewhere (a detached task?). Dropping its future cancels it."
        );
    }

    #[test]
    fn passes_on_the_original_error_of_the_second_order() {
        let res = check("exercise-try_both").run(async {
            let a = async { Ok::<_, anyhow::Error>("fine") };
            let b = async {
                future::yield_now().await;
                Err::<u32, _>(anyhow::Error::new(Spill("out of milk")))
            };
            try_both(a, b).await
        });
        let err = res.expect_err(
            "b failed, so try_both must return Err — an error turned into a default \
             value is an error swallowed",
        );
        assert!(
            is_the_original(&err, "out of milk"),
            "the caller got `{err:#}` instead of the original error `out of milk` (one it \
             can downcast): pass it on, do not replace it or re-wrap its text in a new \
             error.\n  (read: book/src/01-sync-vs-async.md#exercise-try_both)"
        );
    }
}

mod with_threads {
    use super::*;

    fn serve_all(n: u32) -> (Vec<String>, HashSet<ThreadId>, ThreadId) {
        let gate = Gate::with(
            n as usize,
            PATIENCE,
            "each thread was joined right after it was spawned, so the next one \
             started only when the previous was done. Spawn all threads first, then \
             join them.",
        );
        let ids = Arc::new(Mutex::new(HashSet::new()));
        let ids2 = ids.clone();
        let (out, caller) = check("exercise-with_threads").run_sync(move || {
            let orders: Vec<u32> = (1..=n).collect();
            let out = with_threads(&orders, |order| {
                ids2.lock().unwrap().insert(std::thread::current().id());
                gate.wait_blocking();
                format!("order {order}")
            });
            (out, std::thread::current().id())
        });
        let ids = ids.lock().unwrap().clone();
        (out, ids, caller)
    }

    #[test]
    fn every_order_is_served_at_the_same_time() {
        let (out, _, _) = serve_all(4);
        assert_eq!(out.len(), 4, "one result per order");
    }

    #[test]
    fn each_order_gets_its_own_thread() {
        let (_, ids, caller) = serve_all(4);
        assert_eq!(
            ids.len(),
            4,
            "4 orders were served on {} distinct threads: spawn one thread per order",
            ids.len()
        );
        assert!(
            !ids.contains(&caller),
            "an order was served on the calling thread itself: spawn a thread for it"
        );
    }

    #[test]
    fn returns_results_in_the_order_of_the_orders() {
        let (out, _, _) = serve_all(5);
        let want: Vec<String> = (1..=5).map(|i| format!("order {i}")).collect();
        assert_eq!(
            out, want,
            "results must come back in the order of `orders`, whichever thread \
             finished first: join the handles in the order you spawned them"
        );
    }
}

mod on_one_thread {
    use super::*;

    #[test]
    fn all_tasks_are_in_progress_at_the_same_time() {
        let gate = Gate::with(
            5,
            PATIENCE,
            "the orders were served one after another. Spawn every order as a task \
             first, then run the executor and await the tasks; do not block_on each \
             order in turn.",
        );
        let out = check("exercise-on_one_thread").run_sync(move || {
            on_one_thread(&[1, 2, 3, 4, 5], |order| {
                let gate = gate.clone();
                async move {
                    gate.wait().await;
                    format!("order {order}")
                }
            })
        });
        assert_eq!(
            out.len(),
            5,
            "expected 5 results, got {}. A Task that is dropped is cancelled: keep \
             every Task and await it.",
            out.len()
        );
    }

    #[test]
    fn every_task_runs_on_the_calling_thread() {
        let seen = Arc::new(Mutex::new(HashSet::new()));
        let seen2 = seen.clone();
        let caller = check("exercise-on_one_thread").run_sync(move || {
            let out = on_one_thread(&[1, 2, 3], |order| {
                let seen = seen2.clone();
                async move {
                    seen.lock().unwrap().insert(std::thread::current().id());
                    future::yield_now().await;
                    seen.lock().unwrap().insert(std::thread::current().id());
                    format!("order {order}")
                }
            });
            assert_eq!(out.len(), 3, "one result per order");
            std::thread::current().id()
        });
        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            HashSet::from([caller]),
            "the orders ran on {} thread(s), not only on the calling thread. Tasks on a \
             LocalExecutor driven by smol::block_on all run on the thread that calls it: \
             no std::thread::spawn, no smol::spawn (its executor has threads of its own).",
            seen.len()
        );
    }

    #[test]
    fn returns_results_in_the_order_of_the_orders() {
        let out = check("exercise-on_one_thread").run_sync(|| {
            // Order 1 takes the most turns, so it finishes last.
            on_one_thread(&[1, 2, 3, 4], |order| async move {
                for _ in 0..(10 - order) {
                    future::yield_now().await;
                }
                format!("order {order}")
            })
        });
        let want: Vec<String> = (1..=4).map(|i| format!("order {i}")).collect();
        assert_eq!(
            out, want,
            "results must come back in the order of `orders`, not in the order the \
             tasks finished: await the tasks in the order you spawned them"
        );
    }
}
