//! Lesson 05 demos share this: a pizza oven (a future that another thread
//! finishes and wakes), a waker that prints when it is called, and a small
//! event log.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

pub use testkit::probes::count_polls;
pub use testkit::timeline::{Timeline, thread_label};

/// How long the oven bakes in the demos.
pub const BAKE: Duration = Duration::from_millis(200);

/// Prints one line of the demo's story: time since `t0`, thread, message.
pub fn log(t0: Instant, msg: &str) {
    println!(
        "{:>5} ms  [{:<6}] {msg}",
        t0.elapsed().as_millis(),
        thread_label()
    );
}

/// CPU time the calling thread has used so far, where the OS tells us
/// (Linux: /proc/thread-self/schedstat). `None` elsewhere.
pub use testkit::timeline::thread_cpu_time;

// ANCHOR: oven
/// What the oven thread and the future share.
#[derive(Default)]
struct OvenState {
    done: bool,
    /// The waker of the last poll: whoever polls us wants to hear about it.
    waker: Option<Waker>,
    started: bool,
}

/// A pizza that is ready [`BAKE`] after its first poll. A thread (the oven)
/// does the baking and calls the stored waker when it is done: the future
/// itself never waits.
pub struct Oven {
    state: Arc<Mutex<OvenState>>,
    t0: Instant,
}

impl Oven {
    pub fn new(t0: Instant) -> Self {
        Oven {
            state: Arc::default(),
            t0,
        }
    }
}

impl Future for Oven {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.state.lock().unwrap();
        if s.done {
            return Poll::Ready("pizza");
        }
        // Remember who to tell. Always the waker of the latest poll.
        s.waker = Some(cx.waker().clone());
        if !s.started {
            s.started = true;
            let state = self.state.clone();
            let t0 = self.t0;
            std::thread::Builder::new()
                .name("oven".into())
                .spawn(move || {
                    std::thread::sleep(BAKE);
                    let waker = {
                        let mut s = state.lock().unwrap();
                        s.done = true;
                        s.waker.take()
                    };
                    log(t0, "ding! pizza is done, calling the waker");
                    if let Some(w) = waker {
                        w.wake();
                    }
                })
                .expect("spawn the oven thread");
        }
        Poll::Pending
    }
}
// ANCHOR_END: oven

// ANCHOR: print_waker
/// A waker that prints a line, counts, and unparks the thread that made
/// it: the demo's stand-in for "tell the executor to poll me again".
pub struct PrintWaker {
    pub t0: Instant,
    pub wakes: AtomicUsize,
    /// The thread waiting for news (the one that called `new`).
    pub waiter: std::thread::Thread,
}

impl Wake for PrintWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        // Count first, then unpark: the waiter checks the count.
        let n = self.wakes.fetch_add(1, Ordering::SeqCst) + 1;
        log(self.t0, &format!("waker called (wake #{n})"));
        self.waiter.unpark();
    }
}
// ANCHOR_END: print_waker

impl PrintWaker {
    /// A new printing waker and its shared counter.
    pub fn new(t0: Instant) -> (Arc<PrintWaker>, Waker) {
        let pw = Arc::new(PrintWaker {
            t0,
            wakes: AtomicUsize::new(0),
            waiter: std::thread::current(),
        });
        let waker = Waker::from(pw.clone());
        (pw, waker)
    }

    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }

    /// Parks the calling thread until the waker has been called at least
    /// `n` times in all. No polling, no sleep loop: `park` returns when
    /// the waker unparks us (or spuriously, hence the loop).
    pub fn park_until(&self, n: usize) {
        while self.wakes() < n {
            std::thread::park();
        }
    }
}
