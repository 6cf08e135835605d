//! The watchdog and the blocking detector.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// How long a check may run before the watchdog fails it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one `poll` of the checked future may take.
pub const DEFAULT_POLL_BUDGET: Duration = Duration::from_millis(50);

/// Runs `fut` under the default watchdog and blocking detector and returns
/// its output. See [`Check`] to change the limits.
#[track_caller]
pub fn run<F>(fut: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Check::new().run(fut)
}

/// Runs a plain closure on its own thread under the default watchdog: for
/// checks of synchronous code (threads, blocking sockets) that could hang.
#[track_caller]
pub fn run_sync<T, F>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Check::new().run_sync(f)
}

/// A check's limits. `Check::new().timeout(..).poll_budget(..).run(fut)`.
#[derive(Clone, Debug)]
pub struct Check {
    name: String,
    timeout: Duration,
    poll_budget: Option<Duration>,
    section: Option<String>,
    hint: Option<String>,
}

impl Default for Check {
    fn default() -> Self {
        Self::new()
    }
}

/// Failures recorded by probes (a gate whose patience ran out), keyed by
/// the check that owns them, so the check reports the real cause even when
/// the probe failed on another thread.
static FAILURES: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Where a check's worker thread panicked, keyed by the check: the worker's
/// panic is not printed (the check re-raises it on its own thread, so it
/// would be printed twice), and the place is added to the re-raised message
/// when it is in the learner's code.
static WORKER_PANICKED_AT: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn take_worker_location(owner: &str) -> Option<String> {
    let mut all = WORKER_PANICKED_AT.lock().unwrap_or_else(|e| e.into_inner());
    let i = all.iter().position(|(o, _)| o == owner)?;
    Some(all.remove(i).1)
}

/// The name of the check running on this thread: the test's name, also on
/// the check's own worker thread.
pub(crate) fn check_name() -> String {
    let name = std::thread::current().name().unwrap_or("check").to_string();
    match name.strip_suffix(WORKER_SUFFIX) {
        Some(base) => base.to_string(),
        None => name,
    }
}

const WORKER_SUFFIX: &str = "-worker";

pub(crate) fn record_failure(owner: &str, msg: &str) {
    FAILURES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((owner.to_string(), msg.to_string()));
}

fn take_failure(owner: &str) -> Option<String> {
    let mut all = FAILURES.lock().unwrap_or_else(|e| e.into_inner());
    let i = all.iter().position(|(o, _)| o == owner)?;
    Some(all.remove(i).1)
}

/// A check's output with its type erased, so that the machinery around it
/// is not generic.
type Erased = Box<dyn Any + Send>;
/// Builds the checked future on the worker thread.
type MakeFuture = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = Erased>>> + Send>;

fn erase<T: Send + 'static>(v: T) -> Erased {
    Box::new(v)
}

fn unerase<T: 'static>(v: Erased) -> T {
    *v.downcast::<T>()
        .unwrap_or_else(|_| unreachable!("testkit: a check's output changed its type"))
}

/// What the worker thread reports to the watchdog.
enum Outcome<T> {
    Done(T),
    Blocked(Duration),
    Panicked(Box<dyn Any + Send>),
}

/// Shared between the worker and the watchdog, for the timeout message.
#[derive(Default)]
struct Progress {
    polls: AtomicUsize,
    /// Nanoseconds since `start` at which the current poll began, or 0 when
    /// the future is not being polled.
    in_poll_since: AtomicU64,
}

/// Replaces the panic hook (once) with one that prints where a panic
/// happened and its message, without a backtrace. Checks panic on purpose
/// to teach, and with RUST_BACKTRACE set the default hook would bury each
/// lesson under stack frames; worse, resolving a backtrace keeps a core busy
/// for a long time, long enough to trip the blocking detector of a check
/// running beside it. Set WORKSHOP_BACKTRACE=1 to keep the default hook.
fn install_quiet_panic_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        if std::env::var_os("WORKSHOP_BACKTRACE").is_some() {
            return;
        }
        std::panic::set_hook(Box::new(|info| {
            let thread = std::thread::current();
            let name = thread.name().unwrap_or("<unnamed>");
            if let Some(owner) = name.strip_suffix(WORKER_SUFFIX) {
                // The check reports this panic itself, once.
                if let Some(at) = info.location() {
                    WORKER_PANICKED_AT
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((owner.to_string(), at.to_string()));
                }
                return;
            }
            let msg = panic_message(info.payload()).unwrap_or("Box<dyn Any>");
            match info.location() {
                Some(at) => eprintln!("\nthread '{name}' panicked at {at}:\n{msg}"),
                None => eprintln!("\nthread '{name}' panicked:\n{msg}"),
            }
        }));
    });
}

impl Check {
    /// The defaults: a 10 s watchdog and a 50 ms budget per poll.
    pub fn new() -> Self {
        install_quiet_panic_hook();
        Check {
            name: std::thread::current().name().unwrap_or("check").to_string(),
            timeout: DEFAULT_TIMEOUT,
            poll_budget: Some(DEFAULT_POLL_BUDGET),
            section: None,
            hint: None,
        }
    }

    /// The watchdog: after this long the check fails instead of hanging.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most one `poll` of the checked future may take.
    pub fn poll_budget(mut self, budget: Duration) -> Self {
        self.poll_budget = Some(budget);
        self
    }

    /// Turns the blocking detector off (for checks that block on purpose).
    pub fn no_poll_budget(mut self) -> Self {
        self.poll_budget = None;
        self
    }

    /// The book section to point at when the check fails, such as
    /// `"01-sync-vs-async.md#zip"`.
    pub fn section(mut self, section: &str) -> Self {
        self.section = Some(section.to_string());
        self
    }

    /// What this exercise's code most likely did when the watchdog fires or
    /// the blocking detector trips, in the learner's terms. It is added to
    /// the failure message, before the general causes.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    /// Runs `fut` on its own thread (with `smol::block_on`, so async-io's
    /// reactor is driven) and returns its output. Fails the check, with the
    /// likely cause, when the future blocks inside a poll for longer than the
    /// budget, panics, or does not finish before the timeout.
    #[track_caller]
    pub fn run<F>(self, fut: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.run_local(move || fut)
    }

    /// Like [`Check::run`] for a future that cannot move between threads
    /// (one that holds a `LocalExecutor`, an `Rc`, ...): `make` builds it on
    /// the check's own thread.
    #[track_caller]
    pub fn run_local<M, F>(self, make: M) -> F::Output
    where
        M: FnOnce() -> F + Send + 'static,
        F: Future,
        F::Output: Send + 'static,
    {
        // The generic part stays this small on purpose: every check
        // instantiates it, and everything below is compiled once, in
        // testkit, instead of once per check in every checks file.
        let make: MakeFuture = Box::new(move || Box::pin(async move { erase(make().await) }));
        unerase(self.run_erased(make))
    }

    /// Runs a closure on its own thread under the watchdog (no poll budget:
    /// there is no future to poll).
    #[track_caller]
    pub fn run_sync<T, F>(self, f: F) -> T
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        unerase(self.run_sync_erased(Box::new(move || erase(f()))))
    }

    #[track_caller]
    fn run_erased(self, make: MakeFuture) -> Erased {
        let progress = Arc::new(Progress::default());
        let budget = self.poll_budget;
        let p = progress.clone();
        self.supervise(
            progress,
            Box::new(move || {
                let timed = Timed {
                    inner: make(),
                    budget,
                    progress: p,
                    start: Instant::now(),
                };
                match smol::block_on(timed) {
                    Ok(v) => Outcome::Done(v),
                    Err(blocked) => Outcome::Blocked(blocked),
                }
            }),
        )
    }

    #[track_caller]
    fn run_sync_erased(self, f: Box<dyn FnOnce() -> Erased + Send>) -> Erased {
        let progress = Arc::new(Progress::default());
        let check = Check {
            poll_budget: None,
            ..self
        };
        let p = progress.clone();
        check.supervise(
            progress,
            Box::new(move || {
                // The whole closure is "one call": a timeout while it runs
                // means it is blocked somewhere inside.
                p.in_poll_since.store(1, Ordering::SeqCst);
                Outcome::Done(f())
            }),
        )
    }

    #[track_caller]
    fn supervise(
        self,
        progress: Arc<Progress>,
        work: Box<dyn FnOnce() -> Outcome<Erased> + Send>,
    ) -> Erased {
        while take_failure(&self.name).is_some() {} // stale, from an earlier check
        let (tx, rx) = mpsc::channel();
        let started = Instant::now();
        std::thread::Builder::new()
            .name(format!("{}{WORKER_SUFFIX}", self.name))
            .spawn(move || {
                let outcome = match catch_unwind(AssertUnwindSafe(work)) {
                    Ok(outcome) => outcome,
                    Err(payload) => Outcome::Panicked(payload),
                };
                let _ = tx.send(outcome);
            })
            .expect("testkit: could not spawn the check's thread");

        let read = match &self.section {
            Some(s) => format!("\n  (read: book/src/{s})"),
            None => String::new(),
        };
        let see = match &self.hint {
            Some(h) => format!("\n  Likely: {h}{read}"),
            None => read.clone(),
        };
        let outcome = rx.recv_timeout(self.timeout);
        if !matches!(outcome, Ok(Outcome::Done(_)))
            && let Some(probe_failure) = take_failure(&self.name)
        {
            // A probe saw the real cause (say, code that ran one operation at
            // a time); whatever broke after it is only a consequence.
            panic!("{probe_failure}{read}");
        }
        match outcome {
            Ok(Outcome::Done(v)) => v,
            Ok(Outcome::Blocked(took)) => panic!(
                "blocked the executor for {} ms inside one poll (the budget is {} ms).\n  \
                 While a poll runs, nothing else on that thread can make progress: no other \
                 task, no timer, no socket.\n  \
                 Fix: replace std::thread::sleep with smol::Timer::after(..).await, and move \
                 blocking or CPU-heavy work into blocking::unblock(..).await.{read}",
                took.as_millis(),
                self.poll_budget.unwrap_or_default().as_millis(),
            ),
            Ok(Outcome::Panicked(payload)) => {
                // Where it panicked, when that is the code under test (not
                // the checks file or a library): a learner's unwrap, index
                // out of bounds or todo!() is found by its file and line.
                let loc = take_worker_location(&self.name)
                    .filter(|at| at.contains("src/lib.rs") || at.contains("src\\lib.rs"));
                let at = loc
                    .as_ref()
                    .map(|l| format!("\n  (panicked at {l})"))
                    .unwrap_or_default();
                if let Some(msg) = panic_message(&*payload)
                    && msg.contains(crate::TODO_MARKER)
                {
                    panic!(
                        "this exercise is not solved yet: the code reached a `todo!()`{}.\n  \
                         Open the exercise's src/lib.rs, read the contract in the doc comment \
                         above it, and replace the todo!() with your code (stuck? \
                         `cargo workshop hint`).{read}",
                        loc.map(|l| format!(" at {l}")).unwrap_or_default()
                    );
                }
                match panic_message(&*payload) {
                    // Point the learner at the book, once.
                    Some(msg) if !read.is_empty() && !msg.contains("(read: ") => {
                        panic!("{msg}{at}{read}")
                    }
                    // Raised again with panic! (not resume_unwind, which
                    // skips the hook): the worker's own panic was not
                    // printed, so this is the only place the message shows.
                    Some(msg) => panic!("{msg}{at}"),
                    None => resume_unwind(payload),
                }
            }
            Err(_) => {
                let polls = progress.polls.load(Ordering::SeqCst);
                let since = progress.in_poll_since.load(Ordering::SeqCst);
                let elapsed = started.elapsed();
                let cause = if since != 0 {
                    let stuck = elapsed.saturating_sub(Duration::from_nanos(since));
                    format!(
                        "It has been stuck inside one call for {} ms: something blocks the \
                         thread — std::thread::sleep, a blocking read or accept, a std Mutex \
                         that is never released, joining a thread that waits for you, or two \
                         threads waiting for each other (a deadlock).",
                        stuck.as_millis()
                    )
                } else if polls == 0 {
                    "It never finished; check the code for a blocking call, an endless loop, \
                     or a deadlock between threads."
                        .to_string()
                } else {
                    format!(
                        "The future was polled {polls} times and is now Pending with nothing \
                         left to wake it. Likely causes: a deadlock (two tasks or locks waiting \
                         for each other, a lock held across .await, a full channel nobody \
                         drains), a missing .await or a Task that was dropped, a Waker that \
                         was never stored or never woken, or an executor that is never run."
                    )
                };
                panic!(
                    "the watchdog stopped this check after {} s.\n  {cause}{see}",
                    self.timeout.as_secs_f32()
                )
            }
        }
    }
}

/// The text of a panic payload, when it has one.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(|s| s.as_str()))
}

/// Wraps a future and times each poll of it.
struct Timed<F: ?Sized> {
    budget: Option<Duration>,
    progress: Arc<Progress>,
    start: Instant,
    inner: Pin<Box<F>>,
}

impl<F: Future + ?Sized> Future for Timed<F> {
    type Output = Result<F::Output, Duration>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let began = Instant::now();
        let since = began.duration_since(self.start).as_nanos().max(1) as u64;
        self.progress.polls.fetch_add(1, Ordering::SeqCst);
        self.progress.in_poll_since.store(since, Ordering::SeqCst);
        let res = self.inner.as_mut().poll(cx);
        self.progress.in_poll_since.store(0, Ordering::SeqCst);
        let took = began.elapsed();
        match self.budget {
            Some(budget) if took > budget => Poll::Ready(Err(took)),
            _ => res.map(Ok),
        }
    }
}

/// The blocking detector on its own: wraps `fut` so that awaiting it yields
/// `Err(duration)` as soon as one poll took longer than `budget`, and
/// `Ok(output)` otherwise. Use it inside a check to time one task.
pub fn detect_blocking<F: Future>(
    fut: F,
    budget: Duration,
) -> impl Future<Output = Result<F::Output, Duration>> {
    Timed {
        inner: Box::pin(fut),
        budget: Some(budget),
        progress: Arc::new(Progress::default()),
        start: Instant::now(),
    }
}
