//! Probes: prove concurrency with counters, not with clocks.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// How long a [`Gate`] waits for the rest of the group before it decides the
/// code runs its operations one after another. Only a failing solution ever
/// waits this long; a correct one opens the gate as soon as the last
/// operation arrives.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(3);

// ---------------------------------------------------------------- InFlight

/// Counts operations in flight: how many right now, the most at once, and
/// how many ever started.
///
/// ```
/// let probe = testkit::probes::InFlight::new();
/// let a = probe.enter();
/// let b = probe.enter();
/// drop((a, b));
/// assert_eq!(probe.max(), 2);
/// assert_eq!(probe.current(), 0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct InFlight {
    inner: Arc<InFlightInner>,
}

#[derive(Debug, Default)]
struct InFlightInner {
    current: AtomicUsize,
    max: AtomicUsize,
    total: AtomicUsize,
}

impl InFlight {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks one operation as started; it ends when the guard drops.
    pub fn enter(&self) -> InFlightGuard {
        let now = self.inner.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.inner.max.fetch_max(now, Ordering::SeqCst);
        self.inner.total.fetch_add(1, Ordering::SeqCst);
        InFlightGuard {
            inner: self.inner.clone(),
        }
    }

    /// Operations running right now.
    pub fn current(&self) -> usize {
        self.inner.current.load(Ordering::SeqCst)
    }

    /// The most operations that ever ran at the same time.
    pub fn max(&self) -> usize {
        self.inner.max.load(Ordering::SeqCst)
    }

    /// How many operations ever started.
    pub fn total(&self) -> usize {
        self.inner.total.load(Ordering::SeqCst)
    }
}

/// Ends one operation of an [`InFlight`] when dropped.
#[derive(Debug)]
pub struct InFlightGuard {
    inner: Arc<InFlightInner>,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.inner.current.fetch_sub(1, Ordering::SeqCst);
    }
}

// -------------------------------------------------------------------- Gate

/// A gate that opens only when `need` operations are waiting at it at the
/// same time. Once open it stays open.
///
/// Code that runs operations one after another never has more than one
/// waiting, so the gate never opens, and after its patience the gate fails
/// the check with a message that says so. Code that runs them concurrently
/// opens it as soon as the last one arrives: no clock decides a pass.
///
/// Use [`Gate::wait`] from async code and [`Gate::wait_blocking`] from
/// threads.
#[derive(Clone)]
pub struct Gate {
    inner: Arc<GateInner>,
}

struct GateInner {
    /// The check (test thread) that made the gate: its failure is reported
    /// as that check's cause even when it fires on another thread.
    owner: String,
    need: usize,
    patience: Duration,
    hint: String,
    state: Mutex<GateState>,
    cond: Condvar,
}

#[derive(Default)]
struct GateState {
    open: bool,
    waiting: usize,
    most_waiting: usize,
    arrived: usize,
    wakers: Vec<Waker>,
    /// Set when the patience ran out: every later arrival fails at once.
    broken: Option<String>,
}

impl Gate {
    /// A gate for `need` operations, with the default patience and hint.
    pub fn new(need: usize) -> Self {
        Self::with(
            need,
            DEFAULT_PATIENCE,
            "the operations ran one after another. Start them all first \
             (future::zip, try_zip, spawned tasks, threads), then wait for them together.",
        )
    }

    /// A gate with its own patience and hint. The hint finishes the failure
    /// message: say what the learner's code probably did.
    pub fn with(need: usize, patience: Duration, hint: &str) -> Self {
        assert!(need > 0, "a gate needs at least one operation");
        Gate {
            inner: Arc::new(GateInner {
                owner: crate::watchdog::check_name(),
                need,
                patience,
                hint: hint.to_string(),
                state: Mutex::new(GateState::default()),
                cond: Condvar::new(),
            }),
        }
    }

    /// Has the gate opened?
    pub fn is_open(&self) -> bool {
        self.inner.state.lock().unwrap().open
    }

    /// The most operations that were ever waiting at the same time.
    pub fn most_waiting(&self) -> usize {
        self.inner.state.lock().unwrap().most_waiting
    }

    /// How many operations have reached the gate in all.
    pub fn arrived(&self) -> usize {
        self.inner.state.lock().unwrap().arrived
    }

    /// Breaks the gate (once) and returns the failure message.
    fn break_gate(&self, s: &mut GateState) -> String {
        if let Some(msg) = &s.broken {
            return msg.clone();
        }
        let msg = format!(
            "expected {} operations to be in progress at the same time, but at most {} \
             ever were (after waiting {:.1} s for the rest).\n  Likely: {}",
            self.inner.need,
            s.most_waiting,
            self.inner.patience.as_secs_f32(),
            self.inner.hint
        );
        s.broken = Some(msg.clone());
        crate::watchdog::record_failure(&self.inner.owner, &msg);
        for w in s.wakers.drain(..) {
            w.wake();
        }
        self.inner.cond.notify_all();
        msg
    }

    fn fail(&self) -> ! {
        let msg = self.break_gate(&mut self.inner.state.lock().unwrap());
        panic!("{msg}")
    }

    /// Arrive at the gate and wait until `need` operations are waiting at
    /// once. Panics with the gate's hint after its patience runs out (and at
    /// once for every arrival after that).
    pub async fn wait(&self) {
        let arrival = Arrival {
            gate: self,
            counted: false,
        };
        let patience = async {
            async_io::Timer::after(self.inner.patience).await;
            self.fail()
        };
        futures_lite::future::or(arrival, patience).await
    }

    /// The same as [`Gate::wait`] for a thread: blocks until `need` threads
    /// wait at once, panics after the patience.
    pub fn wait_blocking(&self) {
        let mut s = self.inner.state.lock().unwrap();
        if let Some(msg) = s.broken.clone() {
            drop(s);
            panic!("{msg}");
        }
        self.arrive(&mut s);
        let (mut s, res) = self
            .inner
            .cond
            .wait_timeout_while(s, self.inner.patience, |s| !s.open && s.broken.is_none())
            .unwrap();
        s.waiting -= 1;
        if !s.open {
            let msg = if res.timed_out() {
                self.break_gate(&mut s)
            } else {
                s.broken.clone().unwrap_or_default()
            };
            drop(s);
            panic!("{msg}");
        }
    }

    fn arrive(&self, s: &mut GateState) {
        s.arrived += 1;
        s.waiting += 1;
        s.most_waiting = s.most_waiting.max(s.waiting);
        if s.waiting >= self.inner.need && !s.open {
            s.open = true;
            for w in s.wakers.drain(..) {
                w.wake();
            }
            self.inner.cond.notify_all();
        }
    }
}

struct Arrival<'a> {
    gate: &'a Gate,
    counted: bool,
}

impl Future for Arrival<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let gate = self.gate;
        let mut s = gate.inner.state.lock().unwrap();
        if let Some(msg) = s.broken.clone() {
            drop(s);
            panic!("{msg}");
        }
        if !self.counted {
            self.counted = true;
            gate.arrive(&mut s);
        }
        if s.open {
            s.waiting -= 1;
            drop(s);
            self.counted = false;
            return Poll::Ready(());
        }
        s.wakers.push(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Arrival<'_> {
    fn drop(&mut self) {
        if self.counted {
            let mut s = self.gate.inner.state.lock().unwrap();
            s.waiting -= 1;
        }
    }
}

// ------------------------------------------------------- polls and wakes

/// A shared counter: polls, wakes, calls.
#[derive(Clone, Debug, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl Counter {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
    pub fn add(&self, n: usize) {
        self.0.fetch_add(n, Ordering::SeqCst);
    }
}

/// Wraps a future and counts how often it is polled.
pub struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: Counter,
}

/// Counts the polls of `fut`: returns the wrapped future and its counter.
///
/// ```
/// use testkit::probes::count_polls;
/// let (fut, polls) = count_polls(async { futures_lite::future::yield_now().await; 7 });
/// assert_eq!(futures_lite::future::block_on(fut), 7);
/// assert_eq!(polls.get(), 2);
/// ```
pub fn count_polls<F: Future>(fut: F) -> (CountPolls<F>, Counter) {
    let polls = Counter::new();
    (count_polls_into(fut, polls.clone()), polls)
}

/// Like [`count_polls`], counting into a `Counter` made beforehand (say, one
/// that the future itself reads while it runs).
pub fn count_polls_into<F: Future>(fut: F, polls: Counter) -> CountPolls<F> {
    CountPolls {
        inner: Box::pin(fut),
        polls,
    }
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.add(1);
        self.inner.as_mut().poll(cx)
    }
}

/// A waker that counts its wakes and can be waited on from a thread.
#[derive(Default)]
pub struct WakeProbe {
    wakes: AtomicUsize,
    woken: Mutex<bool>,
    cond: Condvar,
}

impl WakeProbe {
    /// A new probe and a `Waker` that reports to it.
    pub fn new() -> (Arc<WakeProbe>, Waker) {
        let probe = Arc::new(WakeProbe::default());
        let waker = Waker::from(probe.clone());
        (probe, waker)
    }

    /// How many times the waker was woken.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }

    /// Blocks until the waker is woken (since the last call), or `timeout`
    /// passes. Returns whether it was woken.
    pub fn wait_woken(&self, timeout: Duration) -> bool {
        let g = self.woken.lock().unwrap();
        let (mut g, _) = self.cond.wait_timeout_while(g, timeout, |w| !*w).unwrap();
        std::mem::replace(&mut *g, false)
    }
}

impl Wake for WakeProbe {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        *self.woken.lock().unwrap() = true;
        self.cond.notify_all();
    }
}

/// Polls `fut` once with `waker`.
pub fn poll_with<F: Future + ?Sized>(fut: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}

// ------------------------------------------------------------------ drops

/// Tells whether a value was dropped: put a [`DropToken`] inside a future or
/// task and check [`DropProbe::dropped`] to prove it was cancelled.
#[derive(Clone, Debug, Default)]
pub struct DropProbe(Arc<AtomicBool>);

/// Sets its [`DropProbe`] when dropped.
#[derive(Debug)]
pub struct DropToken(Arc<AtomicBool>);

impl DropProbe {
    pub fn new() -> Self {
        Self::default()
    }
    /// A token to move into the value under test.
    pub fn token(&self) -> DropToken {
        DropToken(self.0.clone())
    }
    /// Was the token dropped?
    pub fn dropped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl Drop for DropToken {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}
