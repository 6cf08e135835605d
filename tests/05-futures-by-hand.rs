//! Checks for lesson 05 — the Future trait and block_on by hand. Compiled for
//! both exercises/05-futures-by-hand and solutions/05-futures-by-hand.
//!
//! Everything is proven by counting polls and wakes: how often a future was
//! polled, whether it was polled again *without* a wake (busy-spinning),
//! whether a wake that came early was kept. No check measures elapsed time;
//! the only clocks are the watchdog (a block_on that sleeps forever fails
//! instead of hanging) and a patience window on a failure path.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_by_hand::{Yields, block_on, join};
use futures_lite::future;
use testkit::Check;
use testkit::probes::{Counter, Gate, WakeProbe, count_polls, poll_with};

/// The watchdog for checks whose likely failure is a hang.
const HANG: Duration = Duration::from_millis(1500);

/// How long the busy-spin check waits for a second (wrong) poll before it
/// wakes the future. A correct block_on is asleep the whole time, so only a
/// failing solution is affected by this number.
const SPIN_WINDOW: Duration = Duration::from_millis(200);

fn check(exercise: &str) -> Check {
    Check::new()
        .section(&format!("05-futures-by-hand.md#exercise-{exercise}"))
        .timeout(HANG)
}

fn read(exercise: &str) -> String {
    format!("\n  (read: book/src/05-futures-by-hand.md#exercise-{exercise})")
}

/// Hint for a block_on that sleeps forever although another thread called
/// the waker while it slept.
const NEVER_UNPARKED: &str = "block_on went to sleep and the wake from another thread did not \
    reach it. The Waker you build must wake the sleeping thread: set the `woken` flag AND call \
    thread.unpark() (or Condvar::notify_one()). Waker::noop(), or a wake that only sets a \
    flag, leaves block_on asleep forever.";

/// Hint for a block_on that sleeps forever although the wake came before it
/// went to sleep (during the poll).
const LOST_WAKEUP: &str = "block_on went to sleep after the future had already been woken \
    (the wake came while the future was being polled, before block_on parked), and that wake \
    was lost. Do not clear the `woken` flag after the poll without looking at it, and do not \
    wait on a Condvar without checking a flag first: sleep only while the flag is not set \
    (`while !woken.swap(false, ..) { park() }`). Also make sure the Waker really wakes the \
    thread (not Waker::noop()).";

// ------------------------------------------------------- test futures

/// Pending `n` times (waking itself each time), then `Ready(value)` on this
/// and every later poll. Counts its polls and never panics, so a check can
/// tell how often it was polled after it finished.
struct After<T> {
    left: usize,
    value: T,
    polls: Counter,
}

fn after<T: Clone>(n: usize, value: T) -> (After<T>, Counter) {
    let polls = Counter::new();
    let fut = After {
        left: n,
        value,
        polls: polls.clone(),
    };
    (fut, polls)
}

impl<T: Clone + Unpin> Future for After<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.polls.add(1);
        if self.left == 0 {
            return Poll::Ready(self.value.clone());
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Returns `Pending` WITHOUT waking on each of its first `rounds` polls,
/// hands its waker to a helper thread, and is `Ready` once the helper has
/// woken it `rounds` times. Before each wake the helper waits (up to
/// [`SPIN_WINDOW`]) for an extra poll: a correct block_on sleeps the whole
/// time, a spinning one polls again at once (and is caught at once).
struct Stall {
    rounds: usize,
    shared: Arc<(Mutex<StallState>, Condvar)>,
}

#[derive(Default)]
struct StallState {
    polls: usize,
    wakes: usize,
    helper_started: bool,
    /// The first wake round (0 = before the first wake) in which the future
    /// was polled again without a wake, and the poll count then.
    spun: Option<(usize, usize)>,
}

impl Stall {
    fn new(rounds: usize) -> (Stall, Arc<(Mutex<StallState>, Condvar)>) {
        let shared = Arc::new((Mutex::new(StallState::default()), Condvar::new()));
        (
            Stall {
                rounds,
                shared: shared.clone(),
            },
            shared,
        )
    }
}

impl Future for Stall {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let (lock, cond) = &*self.shared;
        let mut s = lock.lock().unwrap();
        s.polls += 1;
        if s.wakes >= self.rounds {
            return Poll::Ready(());
        }
        if !s.helper_started {
            s.helper_started = true;
            let shared = self.shared.clone();
            let waker = cx.waker().clone();
            let rounds = self.rounds;
            std::thread::spawn(move || wake_later(shared, waker, rounds));
        }
        cond.notify_all();
        Poll::Pending
    }
}

fn wake_later(shared: Arc<(Mutex<StallState>, Condvar)>, waker: Waker, rounds: usize) {
    let (lock, cond) = &*shared;
    for round in 0..rounds {
        let s = lock.lock().unwrap();
        // Wait for the Pending poll of this round (the watchdog guards it).
        let s = cond.wait_while(s, |s| s.polls < round + 1).unwrap();
        // Then watch for a poll without a wake.
        let (mut s, _) = cond
            .wait_timeout_while(s, SPIN_WINDOW, |s| s.polls < round + 2)
            .unwrap();
        if s.polls >= round + 2 && s.spun.is_none() {
            s.spun = Some((round, s.polls));
        }
        s.wakes += 1;
        drop(s);
        waker.wake_by_ref();
    }
}

/// What happened when the learner's block_on ran [`Stall`].
struct StallRun {
    /// First round with a poll without a wake, and the polls by then.
    spun: Option<(usize, usize)>,
    total: usize,
}

/// Runs [`Stall`] (`rounds` wakes) under the learner's block_on. With
/// `stray_unpark`, the thread gets an unpark token before block_on starts, as
/// if some other code had unparked it.
fn stall_under_block_on(rounds: usize, stray_unpark: bool) -> StallRun {
    check("block_on")
        .timeout(HANG + SPIN_WINDOW * rounds as u32)
        .hint(NEVER_UNPARKED)
        .run_sync(move || {
            let (fut, shared) = Stall::new(rounds);
            if stray_unpark {
                std::thread::current().unpark();
            }
            block_on(fut);
            let s = shared.0.lock().unwrap();
            StallRun {
                spun: s.spun,
                total: s.polls,
            }
        })
}

/// Returns `Pending` on its first poll after another thread has already
/// called its waker (the wake is over before `poll` returns): the classic
/// lost-wakeup race, made deterministic. `Ready` on the next poll.
struct WokenDuringPoll {
    polls: Counter,
}

impl Future for WokenDuringPoll {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.polls.add(1);
        if self.polls.get() >= 2 {
            return Poll::Ready(());
        }
        let waker = cx.waker().clone();
        std::thread::spawn(move || waker.wake())
            .join()
            .expect("the waking thread panicked");
        Poll::Pending
    }
}

/// Wraps a future and fails the check with a lesson when it is polled again
/// after it returned `Ready` (an async block would panic with a bare
/// "`async fn` resumed after completion").
struct Strict<F> {
    name: &'static str,
    inner: Pin<Box<F>>,
    done: bool,
}

fn strict<F: Future>(name: &'static str, fut: F) -> Strict<F> {
    Strict {
        name,
        inner: Box::pin(fut),
        done: false,
    }
}

impl<F: Future> Future for Strict<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        if self.done {
            panic!(
                "Join polled `{}` again after it had returned Ready. Polling a finished \
                 future breaks its contract (an async block panics with \"`async fn` resumed \
                 after completion\"). Keep its output and skip that side from then on.{}",
                self.name,
                read("join")
            );
        }
        let res = self.inner.as_mut().poll(cx);
        self.done = res.is_ready();
        res
    }
}

// ------------------------------------------------------------- block_on

mod block_on {
    use super::*;

    #[test]
    fn returns_the_output_of_a_ready_future_after_one_poll() {
        let (out, polls) = check("block_on").hint(LOST_WAKEUP).run_sync(|| {
            let (fut, polls) = count_polls(async { 42 });
            (block_on(fut), polls.get())
        });
        assert_eq!(
            out,
            42,
            "block_on must return the output of the future it ran{}",
            read("block_on")
        );
        assert_eq!(
            polls,
            1,
            "a future that is Ready at once was polled {polls} times: return as soon as \
             poll gives Poll::Ready(out){}",
            read("block_on")
        );
    }

    #[test]
    fn polls_a_future_that_yields_5_times_exactly_6_times() {
        let polls = check("block_on").hint(LOST_WAKEUP).run_sync(|| {
            let (fut, polls) = count_polls(async {
                for _ in 0..5 {
                    // Pending once; wakes its waker before returning.
                    future::yield_now().await;
                }
            });
            block_on(fut);
            polls.get()
        });
        assert_eq!(
            polls,
            6,
            "a future that is Pending 5 times (waking itself each time) and then Ready \
             needs exactly 6 polls, but block_on polled it {polls} times. Poll once, then \
             sleep until the waker is called, then poll again: one poll per wake.{}",
            read("block_on")
        );
    }

    #[test]
    fn sleeps_until_woken_instead_of_busy_spinning() {
        let run = stall_under_block_on(1, false);
        if let Some((_, polls)) = run.spun {
            panic!(
                "busy-spinning: block_on polled {polls} times without a wake; park the \
                 thread until the waker is called.\n  The future returned Pending once and \
                 handed its waker to another thread, which waited up to {} ms before \
                 calling it. A correct block_on polls once and then sleeps \
                 (std::thread::park, or a Condvar wait) until the waker runs. Polling in a \
                 loop burns a whole CPU core for nothing.{}",
                SPIN_WINDOW.as_millis(),
                read("block_on")
            );
        }
        assert_eq!(
            run.total,
            2,
            "after the one wake, the future needed one more poll to be Ready, but it was \
             polled {} times in all{}",
            run.total,
            read("block_on")
        );
    }

    #[test]
    fn sleeps_again_after_every_wake() {
        let run = stall_under_block_on(3, false);
        match run.spun {
            Some((0, polls)) => panic!(
                "busy-spinning: block_on polled {polls} times without a wake; park the \
                 thread until the waker is called.{}",
                read("block_on")
            ),
            Some((round, polls)) => panic!(
                "the woken flag is never cleared: after wake {round}, block_on polled the \
                 future again without a new wake ({polls} polls, {round} wakes). By then \
                 the future had returned Pending {} times, each time to be woken later \
                 from another thread; after the first wake your block_on stopped sleeping \
                 and busy-spun. Consume a wake when you act on it, so that the next \
                 Pending sleeps again.{}",
                round + 1,
                read("block_on")
            ),
            None => {}
        }
        assert_eq!(
            run.total,
            4,
            "a future that is Pending 3 times (woken each time from another thread) needs \
             exactly 4 polls, but it was polled {} times{}",
            run.total,
            read("block_on")
        );
    }

    #[test]
    fn a_stray_unpark_is_not_mistaken_for_a_wake() {
        let run = stall_under_block_on(1, true);
        if let Some((_, polls)) = run.spun {
            panic!(
                "block_on polled the future {polls} times although its waker had not \
                 been called. The thread had been unparked before block_on started (as std's \
                 channels and other code may do), so the first park() returned at once. \
                 park() can return without your wake (a stray unpark or a spurious wakeup): \
                 let the waker set a `woken` flag and park in a loop until that flag is set, \
                 e.g. `while !woken.swap(false, Ordering::Acquire) {{ park() }}`. A future \
                 must survive an extra poll, but an executor that polls without a wake is \
                 halfway to busy-spinning.{}",
                read("block_on")
            );
        }
    }

    #[test]
    fn a_wake_from_another_thread_during_the_poll_is_not_lost() {
        let polls = check("block_on").hint(LOST_WAKEUP).run_sync(|| {
            let polls = Counter::new();
            block_on(WokenDuringPoll {
                polls: polls.clone(),
            });
            polls.get()
        });
        assert_eq!(
            polls,
            2,
            "the future was woken (from another thread) while it was being polled, so \
             block_on had to poll it exactly once more; it polled {polls} times in all{}",
            read("block_on")
        );
    }

    #[test]
    fn works_again_on_the_same_thread() {
        let outs = check("block_on").hint(LOST_WAKEUP).run_sync(|| {
            let first = block_on(async {
                future::yield_now().await;
                1
            });
            let polls = Counter::new();
            block_on(WokenDuringPoll {
                polls: polls.clone(),
            });
            let second = polls.get();
            let third = block_on(async {
                future::yield_now().await;
                3
            });
            (first, second, third)
        });
        assert_eq!(
            outs,
            (1, 2, 3),
            "three block_on calls in a row on one thread: expected outputs 1 and 3 and 2 \
             polls for the middle future. Make a fresh waker and flag in every call{}",
            read("block_on")
        );
    }
}

// --------------------------------------------------------------- Yields

mod yields {
    use super::*;

    /// Polls Yields(n) by hand, up to n + 2 times; returns on which poll it
    /// was Ready (if it was) and the wakes seen after each Pending.
    fn poll_by_hand(n: usize) -> (Option<usize>, Vec<usize>) {
        check("yields").run_sync(move || {
            let (probe, waker) = WakeProbe::new();
            let mut fut = pin!(Yields(n));
            let mut wakes = Vec::new();
            for poll in 1..=n + 2 {
                match poll_with(fut.as_mut(), &waker) {
                    Poll::Ready(()) => return (Some(poll), wakes),
                    Poll::Pending => wakes.push(probe.wakes()),
                }
            }
            (None, wakes)
        })
    }

    #[test]
    fn is_pending_n_times_then_ready() {
        let (ready_on, _) = poll_by_hand(3);
        match ready_on {
            Some(4) => {}
            Some(k) => panic!(
                "Yields(3) was Ready on poll {k}; it must be Pending 3 times first and Ready \
                 on poll 4. Count `self.0` down by one per Pending poll and return Ready when \
                 it is 0.{}",
                read("yields")
            ),
            None => panic!(
                "Yields(3) was still Pending after 5 polls; it must be Ready on poll 4. \
                 Count `self.0` down by one on every Pending poll.{}",
                read("yields")
            ),
        }
    }

    #[test]
    fn wakes_its_waker_every_time_it_is_pending() {
        let (_, wakes) = poll_by_hand(3);
        for (i, &seen) in wakes.iter().enumerate() {
            assert!(
                seen > i,
                "Yields returned Pending on poll {} without calling its waker (wakes so far: \
                 {seen}). An executor sleeps until a wake, so nothing would ever poll this \
                 future again. Call cx.waker().wake_by_ref() before returning Pending.{}",
                i + 1,
                read("yields")
            );
        }
        assert!(
            !wakes.is_empty(),
            "Yields(3) was never Pending: it must be Pending (and wake itself) 3 times{}",
            read("yields")
        );
    }

    #[test]
    fn yields_0_is_ready_at_once_without_a_wake() {
        let (out, wakes) = check("yields").run_sync(|| {
            let (probe, waker) = WakeProbe::new();
            let out = poll_with(pin!(Yields(0)), &waker);
            (out, probe.wakes())
        });
        assert!(
            out.is_ready(),
            "Yields(0) must be Ready on its first poll: there is nothing left to wait for{}",
            read("yields")
        );
        assert_eq!(
            wakes,
            0,
            "Yields(0) called its waker although it was Ready: wake only when you return \
             Pending{}",
            read("yields")
        );
    }

    #[test]
    fn yields_5_is_polled_exactly_6_times_by_an_executor() {
        let polls = check("yields")
            .hint(
                "Yields returned Pending without calling cx.waker().wake_by_ref(), so the \
                 executor went to sleep and nobody woke it; or it never counted down.",
            )
            .run_sync(|| {
                let (fut, polls) = count_polls(Yields(5));
                future::block_on(fut);
                polls.get()
            });
        assert_eq!(
            polls,
            6,
            "futures_lite::future::block_on polled Yields(5) {polls} times; expected 5 \
             Pending polls and 1 Ready poll{}",
            read("yields")
        );
    }
}

// ----------------------------------------------------------------- Join

mod join {
    use super::*;

    /// Polls `fut` by hand until it is Ready, at most `max` times. Returns
    /// the output and on which poll it came.
    /// The Join is pinned where it stands (not boxed, not required to be
    /// Unpin), as an executor would.
    fn poll_until_ready<F: Future>(fut: F, max: usize) -> Option<(F::Output, usize)> {
        let (_probe, waker) = WakeProbe::new();
        let mut fut = pin!(fut);
        for poll in 1..=max {
            if let Poll::Ready(out) = poll_with(fut.as_mut(), &waker) {
                return Some((out, poll));
            }
        }
        None
    }

    #[test]
    fn polls_both_sides_on_the_first_poll() {
        let (a, b, pending) = check("join").run_sync(|| {
            let (a, a_polls) = count_polls(future::pending::<u8>());
            let (b, b_polls) = count_polls(future::pending::<u8>());
            let (_probe, waker) = WakeProbe::new();
            let mut j = pin!(join(a, b));
            let pending = poll_with(j.as_mut(), &waker).is_pending();
            (a_polls.get(), b_polls.get(), pending)
        });
        assert!(
            pending,
            "Join was Ready although neither side had finished{}",
            read("join")
        );
        assert!(
            a == 1 && b == 1,
            "the first poll of Join must poll each side exactly once, but `a` was polled \
             {a} time(s) and `b` {b} time(s). {}{}",
            if a == 0 || b == 0 {
                "A Join that waits for one side to finish before it starts the other runs \
                 them in line, like `a.await; b.await;`. Poll both on every poll."
            } else {
                "Poll each unfinished side once per poll of the Join."
            },
            read("join")
        );
    }

    #[test]
    fn is_ready_with_both_outputs_in_order_only_when_both_are_done() {
        let got = check("join").run_sync(|| {
            // b finishes first, a needs 3 polls.
            let (a, _) = after(2, "a");
            let (b, _) = after(0, "b");
            poll_until_ready(join(a, b), 10)
        });
        match got {
            Some((out, 3)) => assert_eq!(
                out,
                ("a", "b"),
                "Join must return (output of a, output of b), whichever finished first{}",
                read("join")
            ),
            Some((_, k)) => panic!(
                "Join was Ready on poll {k}, but `a` finishes only on poll 3 (b is done on \
                 poll 1). Join is Ready when BOTH sides are done, not when one is.{}",
                read("join")
            ),
            None => panic!(
                "Join was still Pending after 10 polls although both sides finish by poll 3. \
                 Keep each output once its side is Ready, and return Ready when both are \
                 there.{}",
                read("join")
            ),
        }
    }

    #[test]
    fn never_polls_a_finished_side_again() {
        let (ready, a_polls, b_polls) = check("join").run_sync(|| {
            // a is done at once, b needs 4 polls.
            let (a, a_polls) = after(0, 1);
            let (b, b_polls) = after(3, 2);
            let ready = poll_until_ready(join(a, b), 10);
            (ready, a_polls.get(), b_polls.get())
        });
        assert_eq!(
            ready.map(|(out, _)| out),
            Some((1, 2)),
            "Join must be Ready with (1, 2) once both sides are done{}",
            read("join")
        );
        assert_eq!(
            a_polls,
            1,
            "`a` was Ready on its first poll, but Join polled it {a_polls} times. Polling \
             a future after it returned Ready breaks its contract (an async block panics \
             with \"`async fn` resumed after completion\"). Keep its output in `a_out` and \
             skip `a` from then on.{}",
            read("join")
        );
        assert_eq!(
            b_polls,
            4,
            "`b` needs 4 polls (3 Pending, then Ready) but Join polled it {b_polls} times{}",
            read("join")
        );
    }

    #[test]
    fn never_polls_a_finished_second_side_again() {
        let (ready, a_polls, b_polls) = check("join").run_sync(|| {
            // b is done at once, a needs 3 polls.
            let (a, a_polls) = after(2, 'a');
            let (b, b_polls) = after(0, 'b');
            let ready = poll_until_ready(join(a, b), 10);
            (ready, a_polls.get(), b_polls.get())
        });
        assert_eq!(
            ready.map(|(out, _)| out),
            Some(('a', 'b')),
            "Join must be Ready with ('a', 'b') once both sides are done{}",
            read("join")
        );
        assert_eq!(
            (a_polls, b_polls),
            (3, 1),
            "expected `a` polled 3 times and `b` (Ready at once) polled 1 time, but they \
             were polled {a_polls} and {b_polls} times. Skip a side whose output you \
             already have.{}",
            read("join")
        );
    }

    #[test]
    fn passes_the_waker_on_and_runs_both_at_once() {
        let gate = Gate::with(
            2,
            Duration::from_secs(1),
            "Join polled only one side until it was done, so the other never started and \
             the first waited alone at the gate. Poll both sides on every poll of the Join.\n  \
             (read: book/src/05-futures-by-hand.md#exercise-join)",
        );
        let (ga, gb) = (gate.clone(), gate);
        let out = check("join")
            .timeout(Duration::from_secs(2))
            .hint(
                "Join gave its children a different waker than the one in its own Context \
                 (Waker::noop(), or a Context of its own), so when a child was woken the \
                 executor never heard of it. Pass the `cx` you were given to both polls.",
            )
            .run(async move {
                let a = strict("a", async move {
                    ga.wait().await;
                    "a"
                });
                let b = strict("b", async move {
                    gb.wait().await;
                    "b"
                });
                join(a, b).await
            });
        assert_eq!(
            out,
            ("a", "b"),
            "Join must return (output of a, output of b){}",
            read("join")
        );
    }
}
