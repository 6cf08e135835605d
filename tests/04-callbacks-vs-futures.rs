//! Checks for lesson 04 — callbacks vs futures. Compiled for both
//! exercises/04-callbacks-vs-futures and solutions/04-callbacks-vs-futures.
//!
//! The kitchen here is a test double: it answers on its own threads, at
//! once (inline), or only when the check says so (manual). Futures are
//! driven by hand with `poll_with` and a `WakeProbe`, so "Pending until the
//! callback fires" and "woken exactly once" are facts, not timings. The
//! "exactly once" counts are read after every kitchen thread was joined.

use std::collections::VecDeque;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Poll, Wake, Waker};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use callbacks_vs_futures::{
    Callback, CallbackFuture, Kitchen, KitchenError, Reply, callback_future, make_dish,
    make_dish_async,
};
use futures_lite::FutureExt;
use testkit::probes::{Counter, WakeProbe, poll_with};
use testkit::{Check, TODO_MARKER};

const BOOK: &str = "04-callbacks-vs-futures.md";
const DISH: &str = "plate of fried chopped onion";

/// The watchdog for every check here. The blocking detector is off: the
/// kitchen starts its threads inside a poll, and starting a thread can stall
/// for a moment while another test prints a panic backtrace. Blocking is
/// caught without a clock instead: the manual kitchen only answers after the
/// poll has returned, so a poll that waits for it never returns.
fn check(section: &str) -> Check {
    Check::new()
        .section(&format!("{BOOK}#{section}"))
        .timeout(Duration::from_millis(1500))
        .no_poll_budget()
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/{BOOK}#{section})")
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

// ------------------------------------------------------------ the kitchen

/// How the test kitchen answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Each step on a thread of its own, like a real background service.
    Threads,
    /// The callback is called before `chop`/`cook`/`plate` even returns.
    Inline,
    /// Each step waits in a queue until the check runs it with `run_next`.
    Manual,
}

type Job = Box<dyn FnOnce() + Send>;

struct TestKitchen {
    mode: Mode,
    fail_at: Option<&'static str>,
    /// Every call the kitchen got, as "step input".
    calls: Mutex<Vec<String>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    queue: Mutex<VecDeque<Job>>,
    /// Panics that happened inside the learner's callbacks.
    panics: Arc<Mutex<Vec<String>>>,
}

fn reason(step: &str) -> String {
    match step {
        "chop" => "the knife is blunt".to_string(),
        "cook" => "the pan is on fire".to_string(),
        _ => "no clean plates".to_string(),
    }
}

impl TestKitchen {
    fn new(mode: Mode) -> Arc<Self> {
        Self::failing(mode, None)
    }

    fn failing(mode: Mode, fail_at: Option<&'static str>) -> Arc<Self> {
        Arc::new(TestKitchen {
            mode,
            fail_at,
            calls: Mutex::default(),
            workers: Mutex::default(),
            queue: Mutex::default(),
            panics: Arc::default(),
        })
    }

    fn step(&self, step: &'static str, input: &str, output: String, done: Callback<Reply>) {
        self.calls.lock().unwrap().push(format!("{step} {input}"));
        let reply = if self.fail_at == Some(step) {
            Err(KitchenError {
                step,
                reason: reason(step),
            })
        } else {
            Ok(output)
        };
        let panics = self.panics.clone();
        let job: Job = Box::new(move || {
            if let Err(p) = catch_unwind(AssertUnwindSafe(move || done(reply))) {
                let text = panic_text(&*p);
                panics.lock().unwrap().push(text);
                if is_todo(&*p) {
                    resume_unwind(p)
                }
            }
        });
        match self.mode {
            Mode::Inline => job(),
            Mode::Threads => {
                let handle = thread::Builder::new()
                    .name(format!("kitchen-{step}"))
                    .spawn(job)
                    .expect("spawn a kitchen thread");
                self.workers.lock().unwrap().push(handle);
            }
            Mode::Manual => self.queue.lock().unwrap().push_back(job),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn panics(&self) -> Vec<String> {
        self.panics.lock().unwrap().clone()
    }

    /// Joins every kitchen thread, including the ones started by callbacks
    /// while we wait. Afterwards nothing can call a callback any more.
    fn finish(&self) {
        loop {
            let next = self.workers.lock().unwrap().pop();
            match next {
                Some(h) => {
                    let _ = h.join();
                }
                None => break,
            }
        }
    }

    /// Manual mode: runs the oldest queued step (its callback runs here, on
    /// the calling thread). Returns false when nothing was queued.
    fn run_next(&self) -> bool {
        let job = self.queue.lock().unwrap().pop_front();
        match job {
            Some(job) => {
                job();
                true
            }
            None => false,
        }
    }
}

fn is_todo(p: &(dyn std::any::Any + Send)) -> bool {
    panic_text(p).contains(TODO_MARKER)
}

impl Kitchen for TestKitchen {
    fn chop(&self, ingredient: &str, done: Callback<Reply>) {
        self.step("chop", ingredient, format!("chopped {ingredient}"), done);
    }
    fn cook(&self, chopped: &str, done: Callback<Reply>) {
        self.step("cook", chopped, format!("fried {chopped}"), done);
    }
    fn plate(&self, cooked: &str, done: Callback<Reply>) {
        self.step("plate", cooked, format!("plate of {cooked}"), done);
    }
}

/// The calls a full, successful dish makes, in order.
fn all_calls() -> Vec<String> {
    vec![
        "chop onion".to_string(),
        "cook chopped onion".to_string(),
        "plate fried chopped onion".to_string(),
    ]
}

/// The calls made up to and including the step that fails.
fn calls_until(step: &str) -> Vec<String> {
    let n = match step {
        "chop" => 1,
        "cook" => 2,
        _ => 3,
    };
    all_calls().into_iter().take(n).collect()
}

// ------------------------------------------------------------- make_dish

mod make_dish {
    use super::*;

    const SECTION: &str = "exercise-make_dish";

    /// Runs make_dish on `kitchen`, waits for every kitchen thread, and
    /// returns every value the final callback got.
    fn cook_with(kitchen: Arc<TestKitchen>) -> Vec<Reply> {
        let got = Arc::new(Mutex::new(Vec::new()));
        let got2 = got.clone();
        let k = kitchen.clone();
        check(SECTION)
            .hint(
                "make_dish waited for the kitchen (a channel recv, a join, a sleep). It \
                 must return at once and let the callbacks carry the flow.",
            )
            .run_sync(move || {
                make_dish(k.clone(), "onion", move |reply| {
                    got2.lock().unwrap().push(reply);
                });
                k.finish();
            });
        let panics = kitchen.panics();
        assert!(
            panics.is_empty(),
            "a callback of yours panicked on the kitchen's thread: {panics:?}. A panic on \
             someone else's thread does not reach your caller: the final callback is \
             simply never called. Pass errors on with `done(Err(e))`.{}",
            read(SECTION)
        );
        let got = got.lock().unwrap();
        got.clone()
    }

    fn expect_error_at(step: &'static str) {
        let kitchen = TestKitchen::failing(Mode::Threads, Some(step));
        let got = cook_with(kitchen.clone());
        assert!(
            !got.is_empty(),
            "the `{step}` step failed, and the final callback was never called: the \
             error was swallowed. In the `Err(e)` arm of every step call \
             `done(Err(e))` — a callback API has no `?`, every error must be handed on \
             by hand.{}",
            read(SECTION)
        );
        assert_eq!(
            got.len(),
            1,
            "the final callback was called {} times; call it exactly once.{}",
            got.len(),
            read(SECTION)
        );
        let want = KitchenError {
            step,
            reason: reason(step),
        };
        assert_eq!(
            got[0],
            Err(want.clone()),
            "the `{step}` step failed with `{want}`; the final callback must get that \
             same error, not a value and not another error.{}",
            read(SECTION)
        );
        assert_eq!(
            kitchen.calls(),
            calls_until(step),
            "after `{step}` failed, no further step may start: there is nothing to \
             cook or plate.{}",
            read(SECTION)
        );
    }

    #[test]
    fn serves_the_dish_through_all_three_steps() {
        let kitchen = TestKitchen::new(Mode::Threads);
        let got = cook_with(kitchen.clone());
        assert_eq!(
            kitchen.calls(),
            all_calls(),
            "expected chop, then cook with chop's result, then plate with cook's \
             result, each started inside the previous step's callback.{}",
            read(SECTION)
        );
        assert_eq!(
            got,
            vec![Ok(DISH.to_string())],
            "the final callback must be called exactly once, with the plated dish.{}",
            read(SECTION)
        );
    }

    #[test]
    fn returns_at_once_and_lets_the_callbacks_drive() {
        let kitchen = TestKitchen::new(Mode::Manual);
        let k = kitchen.clone();
        let got = Arc::new(Mutex::new(Vec::new()));
        let got2 = got.clone();
        let (calls_at_return, replies_at_return, got_at_end) = check(SECTION)
            .timeout(Duration::from_millis(1500))
            .hint(
                "make_dish waited for the kitchen to answer (a channel recv, a join, a \
                 sleep), but this kitchen only answers after make_dish has returned. \
                 Return at once: the next step starts inside the callback.",
            )
            .run_sync(move || {
                make_dish(k.clone(), "onion", move |reply| {
                    got2.lock().unwrap().push(reply);
                });
                let at_return = (k.calls(), got.lock().unwrap().len());
                while k.run_next() {}
                (at_return.0, at_return.1, got.lock().unwrap().clone())
            });
        assert_eq!(
            calls_at_return,
            vec!["chop onion".to_string()],
            "when make_dish returned, only `chop` may have been asked for: cook needs \
             chop's result, so it starts in chop's callback.{}",
            read(SECTION)
        );
        assert_eq!(
            replies_at_return,
            0,
            "the final callback ran before the kitchen had answered anything.{}",
            read(SECTION)
        );
        assert_eq!(
            got_at_end,
            vec![Ok(DISH.to_string())],
            "after the kitchen answered all three steps, the final callback must have \
             been called once with the dish.{}",
            read(SECTION)
        );
    }

    #[test]
    fn works_when_the_kitchen_answers_at_once() {
        let kitchen = TestKitchen::new(Mode::Inline);
        let got = cook_with(kitchen.clone());
        assert_eq!(
            got,
            vec![Ok(DISH.to_string())],
            "this kitchen calls each callback before `chop`/`cook`/`plate` returns; the \
             flow must still reach the final callback exactly once, with the dish.{}",
            read(SECTION)
        );
    }

    #[test]
    fn an_error_at_chop_reaches_the_final_callback_once() {
        expect_error_at("chop");
    }

    #[test]
    fn an_error_at_cook_reaches_the_final_callback_once() {
        expect_error_at("cook");
    }

    #[test]
    fn an_error_at_plate_reaches_the_final_callback_once() {
        expect_error_at("plate");
    }
}

// ------------------------------------------------------- callback_future

mod callback_future {
    use super::*;

    const SECTION: &str = "exercise-callback_future";

    /// A callback the check holds on to and calls when it wants to.
    type Slot<T> = Arc<Mutex<Option<Callback<T>>>>;

    fn held<T: Send + 'static>() -> (CallbackFuture<T>, Slot<T>) {
        let slot: Slot<T> = Arc::default();
        let s = slot.clone();
        let fut = callback_future(move |done| *s.lock().unwrap() = Some(done));
        (fut, slot)
    }

    fn fire<T>(slot: &Slot<T>, value: T) {
        let done = slot.lock().unwrap().take().unwrap_or_else(|| {
            panic!(
                "callback_future never called `start` with a callback, so the operation \
                 never began. Call `start(Box::new(move |value| ...))` inside \
                 callback_future.{}",
                read(SECTION)
            )
        });
        done(value);
    }

    #[test]
    fn is_pending_until_the_callback_fires_then_ready() {
        let (first, wakes, second) = check(SECTION).run_sync(|| {
            let (fut, slot) = held::<u32>();
            let mut fut = Box::pin(fut);
            let (probe, waker) = WakeProbe::new();
            let first = poll_with(fut.as_mut(), &waker);
            fire(&slot, 7);
            let wakes = probe.wakes();
            let second = poll_with(fut.as_mut(), &waker);
            (first, wakes, second)
        });
        assert_eq!(
            first,
            Poll::Pending,
            "before the callback fired there is no value yet, so poll must return \
             Poll::Pending (and store the waker).{}",
            read(SECTION)
        );
        assert_eq!(
            wakes,
            1,
            "when the callback fired, the waker from the last poll was woken {wakes} \
             times; expected exactly once. Without a wake the executor never polls \
             again and the task sleeps forever: store `cx.waker().clone()` in poll and \
             call `.wake()` on it from the callback.{}",
            read(SECTION)
        );
        assert_eq!(
            second,
            Poll::Ready(7),
            "after the callback fired with 7, the next poll must return Poll::Ready(7): \
             the callback stores the value where poll can find it.{}",
            read(SECTION)
        );
    }

    #[test]
    fn is_ready_at_once_when_the_callback_fired_before_the_first_poll() {
        let (first, wakes) = check(SECTION).run_sync(|| {
            let mut fut = Box::pin(callback_future(|done| done(String::from("cached"))));
            let (probe, waker) = WakeProbe::new();
            let first = poll_with(fut.as_mut(), &waker);
            (first, probe.wakes())
        });
        assert_eq!(
            first,
            Poll::Ready(String::from("cached")),
            "the callback was called inside `start`, before the first poll, so the \
             value is already there: the first poll must return it. (Do not return \
             Pending on the first poll just to register the waker: look at the stored \
             result first.){}",
            read(SECTION)
        );
        assert_eq!(
            wakes,
            0,
            "the waker was woken although the future was Ready: wake only a waker that \
             a poll stored.{}",
            read(SECTION)
        );
    }

    #[test]
    fn wakes_the_latest_waker_not_the_first_one() {
        let (wakes_a, wakes_b, last) = check(SECTION).run_sync(|| {
            let (fut, slot) = held::<u32>();
            let mut fut = Box::pin(fut);
            let (probe_a, waker_a) = WakeProbe::new();
            let (probe_b, waker_b) = WakeProbe::new();
            // The task moved (or an executor changed its waker): the second
            // poll comes with another waker.
            assert!(poll_with(fut.as_mut(), &waker_a).is_pending());
            assert!(poll_with(fut.as_mut(), &waker_b).is_pending());
            fire(&slot, 11);
            let last = poll_with(fut.as_mut(), &waker_b);
            (probe_a.wakes(), probe_b.wakes(), last)
        });
        assert!(
            wakes_a + wakes_b > 0,
            "the future was polled with waker A, then with waker B, and when the callback \
             fired neither was woken: store `cx.waker().clone()` in poll and wake it from \
             the callback.{}",
            read(SECTION)
        );
        assert_eq!(
            wakes_b,
            1,
            "the future was polled with waker A, then with waker B; when the callback \
             fired, B should be woken exactly once but was woken {wakes_b} times. Keeping \
             only the first waker is a classic bug: the executor that polled last waits \
             on B. Replace the stored waker on every Pending poll.{}",
            read(SECTION)
        );
        assert_eq!(
            wakes_a,
            0,
            "the old waker A was woken too ({wakes_a} times): store one waker and replace \
             it, do not collect them all.{}",
            read(SECTION)
        );
        assert_eq!(
            last,
            Poll::Ready(11),
            "after the callback fired with 11, the next poll must return Ready(11).{}",
            read(SECTION)
        );
    }

    /// A waker that behaves like a fast executor on another thread: the
    /// moment it is woken, another thread polls the future. If the value was
    /// not stored before the wake, that poll returns Pending.
    struct EagerPoller {
        fut: Mutex<Pin<Box<CallbackFuture<u32>>>>,
        seen: Mutex<Vec<Poll<u32>>>,
        pollers: Mutex<Vec<JoinHandle<()>>>,
        wakes: Counter,
    }

    impl EagerPoller {
        fn poll_now(self: &Arc<Self>) {
            let waker = Waker::from(self.clone());
            let r = poll_with(self.fut.lock().unwrap().as_mut(), &waker);
            self.seen.lock().unwrap().push(r);
        }
    }

    impl Wake for EagerPoller {
        fn wake(self: Arc<Self>) {
            self.wakes.add(1);
            if self.wakes.get() > 5 {
                return; // a wake loop: the other checks report it
            }
            let me = self.clone();
            let (tx, rx) = mpsc::channel();
            let h = thread::spawn(move || {
                me.poll_now();
                let _ = tx.send(());
            });
            self.pollers.lock().unwrap().push(h);
            // Give the other thread the time to poll. If the callback still
            // holds its lock while it wakes, that poll waits for the lock
            // and we stop waiting (no deadlock; holding the lock is allowed).
            let _ = rx.recv_timeout(Duration::from_millis(500));
        }
    }

    #[test]
    fn stores_the_value_before_it_wakes() {
        let seen = check(SECTION).run_sync(|| {
            let (fut, slot) = held::<u32>();
            let poller = Arc::new(EagerPoller {
                fut: Mutex::new(Box::pin(fut)),
                seen: Mutex::default(),
                pollers: Mutex::default(),
                wakes: Counter::new(),
            });
            poller.poll_now();
            fire(&slot, 42);
            loop {
                let next = poller.pollers.lock().unwrap().pop();
                match next {
                    Some(h) => h.join().expect("the polling thread panicked"),
                    None => break,
                }
            }
            poller.seen.lock().unwrap().clone()
        });
        assert_eq!(
            seen.first(),
            Some(&Poll::Pending),
            "the first poll, before the callback, must be Pending.{}",
            read(SECTION)
        );
        assert!(
            seen.len() >= 2,
            "the callback fired but the waker was never woken, so nobody polls the \
             future again. Store cx.waker() in poll and wake it from the callback.{}",
            read(SECTION)
        );
        assert_eq!(
            seen.last(),
            Some(&Poll::Ready(42)),
            "an executor polled the future the moment its waker was woken and got \
             {:?}: the value was not stored yet, and nobody wakes it again (a lost \
             wake-up; the task would sleep forever). In the callback, store the \
             result FIRST, then wake. Polls seen: {seen:?}{}",
            seen[seen.len() - 1],
            read(SECTION)
        );
    }

    /// Sends a message the first time the inner future returns Pending.
    struct TellWhenPending<F> {
        inner: Pin<Box<F>>,
        tell: Option<mpsc::Sender<()>>,
    }

    impl<F: Future> Future for TellWhenPending<F> {
        type Output = F::Output;
        fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
            let r = self.inner.as_mut().poll(cx);
            if r.is_pending()
                && let Some(tell) = self.tell.take()
            {
                let _ = tell.send(());
            }
            r
        }
    }

    #[test]
    fn completes_on_smol_when_another_thread_calls_back() {
        let got = check(SECTION)
            .timeout(Duration::from_millis(1500))
            .hint(
                "poll returned Pending but the callback, firing later on another thread, \
                 never woke the waker of that poll. Store `cx.waker().clone()` in the \
                 shared state in poll, take it in the callback and call `.wake()`.",
            )
            .run(async {
                let (tell, pending) = mpsc::channel();
                let fut = callback_future(move |done| {
                    // The kitchen answers only after the future said Pending.
                    thread::spawn(move || {
                        if pending.recv().is_ok() {
                            done(String::from("soup"))
                        }
                    });
                });
                TellWhenPending {
                    inner: Box::pin(fut),
                    tell: Some(tell),
                }
                .await
            });
        assert_eq!(got, "soup", "the future must give the callback's value");
    }

    #[test]
    fn never_loses_a_wake_up_when_the_callback_races_the_poll() {
        check(SECTION)
            .hint(
                "a wake-up was lost: a poll returned Pending and the callback, firing on \
                 another thread, never woke that poll's waker. If the other callback_future \
                 checks pass, the callback slipped in between your look at the result and \
                 storing the waker, or woke before the value was stored. In poll, look and \
                 store under ONE lock; in the callback, store the value and take the \
                 waker under one lock, then wake.",
            )
            .run(async {
                for i in 0..300u32 {
                    let got = callback_future(move |done| {
                        thread::spawn(move || done(i));
                    })
                    .await;
                    assert_eq!(got, i, "the future must give the value of its own callback");
                }
            });
    }
}

// ------------------------------------------------------- make_dish_async

mod make_dish_async {
    use super::*;

    const SECTION: &str = "exercise-make_dish_async";

    /// Awaits `fut`, turning a panic (other than todo!()) into a failure
    /// that explains why errors must not panic.
    async fn without_panics<F: Future>(fut: F) -> F::Output {
        match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(v) => v,
            Err(p) if is_todo(&*p) => resume_unwind(p),
            Err(p) => panic!(
                "make_dish_async panicked: {}. A failed step is an ordinary value \
                 (Err); pass it on with `?` — no unwrap, no expect, no panic.{}",
                panic_text(&*p),
                read(SECTION)
            ),
        }
    }

    fn expect_error_at(step: &'static str, context: &str, pattern: &str) {
        let kitchen = TestKitchen::failing(Mode::Threads, Some(step));
        let k = kitchen.clone();
        let res =
            check(SECTION).run(async move { without_panics(make_dish_async(k, "onion")).await });
        kitchen.finish();
        let err = match res {
            Ok(v) => panic!(
                "the `{step}` step failed, but make_dish_async returned Ok({v:?}): the \
                 error was swallowed (unwrap_or_default, `if let Ok`, ...). Pass it on \
                 with `?`.{}",
                read(SECTION)
            ),
            Err(e) => e,
        };
        let want = KitchenError {
            step,
            reason: reason(step),
        };
        assert_eq!(
            err.downcast_ref::<KitchenError>(),
            Some(&want),
            "the caller must get the kitchen's own error `{want}` inside the anyhow \
             error (got `{err:#}`). Do not replace it with a new error: add context \
             with `.with_context(..)` and pass it on with `?`.{}",
            read(SECTION)
        );
        assert!(
            err.to_string().starts_with(context),
            "the error should say which step failed: expected its outermost message to \
             start with `{context}`, got `{err}`. Add \
             `.with_context(|| format!(\"{pattern}\"))` before the `?`.{}",
            read(SECTION)
        );
        assert_eq!(
            kitchen.calls(),
            calls_until(step),
            "after `{step}` failed, no further step may start.{}",
            read(SECTION)
        );
        assert!(
            kitchen.panics().is_empty(),
            "a callback panicked: {:?}",
            kitchen.panics()
        );
    }

    #[test]
    fn makes_the_dish_with_await() {
        let kitchen = TestKitchen::new(Mode::Threads);
        let k = kitchen.clone();
        let res = check(SECTION)
            .hint(
                "the future waited for a kitchen answer that never woke it. Await \
                 callback_future(|done| kitchen.chop(ingredient, done)) for each step \
                 (and check your callback_future exercise first).",
            )
            .run(async move { without_panics(make_dish_async(k, "onion")).await });
        kitchen.finish();
        assert_eq!(
            res.map_err(|e| format!("{e:#}")),
            Ok(DISH.to_string()),
            "make_dish_async must return Ok(the plated dish).{}",
            read(SECTION)
        );
        assert_eq!(
            kitchen.calls(),
            all_calls(),
            "expected chop, then cook with chop's result, then plate with cook's \
             result.{}",
            read(SECTION)
        );
    }

    #[test]
    fn waits_without_blocking_and_is_woken_by_each_step() {
        // Manual kitchen: nothing is answered until the check says so. A
        // future that blocks its thread waiting for the answer never returns
        // from poll.
        let (polls_before_ready, result) = check(SECTION)
            .timeout(Duration::from_millis(1500))
            .hint(
                "a poll of make_dish_async never returned: it waited for the kitchen with \
                 a blocking call (std mpsc recv, a Condvar, join, sleep) inside the async \
                 fn. Await callback_future(..) instead, so the poll returns Pending and \
                 the thread is free.",
            )
            .run_sync(|| {
                let kitchen = TestKitchen::new(Mode::Manual);
                let mut fut = Box::pin(make_dish_async(kitchen.clone(), "onion"));
                let (probe, waker) = WakeProbe::new();
                let mut polls = 0;
                let mut answered = 0;
                loop {
                    polls += 1;
                    if let Poll::Ready(res) = poll_with(fut.as_mut(), &waker) {
                        break (polls, res);
                    }
                    if !kitchen.run_next() {
                        panic!(
                            "make_dish_async returned Pending, but no kitchen step is \
                             waiting for an answer (calls so far: {:?}), so nothing will \
                             ever wake it.{}",
                            kitchen.calls(),
                            read(SECTION)
                        );
                    }
                    answered += 1;
                    let wakes = probe.wakes();
                    assert_eq!(
                        wakes,
                        answered,
                        "the kitchen has answered {answered} step(s) and the task was woken \
                         {wakes} time(s): each answer must wake the task exactly once, or \
                         no executor polls it again.{}",
                        read(SECTION)
                    );
                }
            });
        assert_eq!(
            result.map_err(|e| format!("{e:#}")),
            Ok(DISH.to_string()),
            "make_dish_async must return Ok(the plated dish).{}",
            read(SECTION)
        );
        assert_eq!(
            polls_before_ready,
            4,
            "expected 4 polls: Pending while each of the 3 steps is in the kitchen, \
             then Ready.{}",
            read(SECTION)
        );
    }

    #[test]
    fn an_error_at_chop_reaches_the_caller_with_context() {
        expect_error_at("chop", "chopping onion", "chopping {ingredient}");
    }

    #[test]
    fn an_error_at_cook_reaches_the_caller_with_context() {
        expect_error_at("cook", "cooking chopped onion", "cooking {chopped}");
    }

    #[test]
    fn an_error_at_plate_reaches_the_caller_with_context() {
        expect_error_at("plate", "plating fried chopped onion", "plating {cooked}");
    }
}
