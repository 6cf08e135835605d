//! Lesson 05 — the Future trait and block_on by hand.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/05-futures-by-hand (`cargo workshop generate`). Both crates are
//! checked by `tests/05-futures-by-hand.rs`.
//!
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. Read the
//~ //! chapter book/src/05-futures-by-hand.md first; `cargo workshop hint 5`
//~ //! gives one hint at a time when you are stuck.
//~ //!
//! Only the standard library is used: no executor crate, no helper crate.
//! That is the point.
//~ #![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

// ANCHOR: block_on
// ANCHOR: learn-block_on-waker
//~ // Your waker type for `block_on` (and its `impl Wake`) goes here.
/// The waker of [`block_on`]: remembers that a wake happened and unparks the
/// thread that runs `block_on`.
struct ThreadWaker {
    /// The thread that sleeps in `block_on`.
    thread: Thread,
    /// Set by `wake`, cleared by `block_on` when it consumes the wake.
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Order matters: set the flag first, then unpark. If the block_on
        // thread is not parked yet, it will see the flag and not park at all.
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}
// ANCHOR_END: learn-block_on-waker

/// Exercise `block_on`: runs `fut` to completion on the calling thread and
/// returns its output. Between polls the thread sleeps until the future's
/// waker is called: the lesson's new tools are `std::task::Wake` (a waker
/// made from your own type) and `std::thread::park`/`unpark`.
///
/// The contract, which the checks prove by counting polls:
/// * one poll per wake: a future that is `Pending` k times is polled k + 1
///   times, and it is never polled again without a new wake (no
///   busy-spinning, not even after the first wake, not after a stray
///   `unpark` that someone else left for this thread);
/// * a wake that arrives while the future is being polled (before you go to
///   sleep) is not lost;
/// * the waker may be called from any thread, and block_on can be called
///   again and again on the same thread.
///
/// Read: "Busy-spinning vs parking", "The lost wakeup" and "Exercise:
/// block_on" in the chapter.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    // ANCHOR: learn-block_on
    // Pin the future on this stack frame: it is never moved again.
    let mut fut = pin!(fut);
    let signal = Arc::new(ThreadWaker {
        thread: std::thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(signal.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        // Sleep until a wake arrives. A wake that came *during* the poll
        // already set the flag, so we do not park at all: no lost wakeup.
        // `park` may also return for no reason (a spurious wakeup), which is
        // why it sits in a loop that checks the flag.
        while !signal.woken.swap(false, Ordering::Acquire) {
            std::thread::park();
        }
    }
    // ANCHOR_END: learn-block_on
}
// ANCHOR_END: block_on

// ANCHOR: yields
/// Exercise `yields`: a future that is `Pending` `n` times and then
/// `Ready(())`; `Yields(0)` is ready at once.
///
/// Every `Pending` must come with a wake of the waker in `cx`, called before
/// `poll` returns ("poll me again"); a `Ready` comes without one. The checks
/// poll it by hand with a counting waker, and under a real executor that
/// must poll `Yields(5)` exactly 6 times. Read: "Exercise: yields".
#[derive(Debug)]
pub struct Yields(pub usize);

impl Future for Yields {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // ANCHOR: learn-yields
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        // "Poll me again": without this wake nobody would ever poll us again
        // and the task would sleep forever.
        cx.waker().wake_by_ref();
        Poll::Pending
        // ANCHOR_END: learn-yields
    }
}
// ANCHOR_END: yields

// ANCHOR: join
/// Exercise `join`: a future that runs two futures at the same time and is
/// ready with both outputs when both are done. Make one with [`join`].
///
/// You choose the fields. `A` and `B` may be any futures, also ones that
/// are not `Unpin` (async blocks): the checks pin your `Join` where it
/// stands, so boxing the two futures is one way, pinning them in place
/// (a pin projection, with `unsafe` and a safety argument) is another.
/// (Boxing makes the two children `Unpin`, not `Join` itself: a `Join` that
/// also holds the outputs is `Unpin` only when you say so, and the chapter
/// explains why saying so is sound there.)
/// Read: "Exercise: join" in the chapter.
// ANCHOR: learn-join-state
//~ pub struct Join<A: Future, B: Future> {
//~     // your fields here (replace this placeholder)
//~     todo: std::marker::PhantomData<(A, B)>,
//~ }
pub struct Join<A: Future, B: Future> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
    a_out: Option<A::Output>,
    b_out: Option<B::Output>,
}

/// `Join` never pins its outputs, only the two futures (and those are boxed),
/// so moving a `Join` is always fine.
impl<A: Future, B: Future> Unpin for Join<A, B> {}
// ANCHOR_END: learn-join-state

/// Joins `a` and `b`: the returned future polls both and is ready with
/// `(output of a, output of b)` when both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    // ANCHOR: learn-join-make
    Join {
        a: Box::pin(a),
        b: Box::pin(b),
        a_out: None,
        b_out: None,
    }
    // ANCHOR_END: learn-join-make
}

/// Polling a `Join` polls each side that has not finished yet, every time,
/// with the `Context` it was given; a side that is done is never polled
/// again. It is `Ready((a_out, b_out))`, in that order, once both are done.
/// The checks count the polls of each side, finish either side first, and
/// run two async blocks that can only finish while both are in progress.
impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // ANCHOR: learn-join
        // Join is Unpin, so we may take a plain `&mut` to it.
        let this = self.get_mut();
        // Poll each side that is not finished yet, every time. A side that is
        // done keeps its output and is never polled again.
        if this.a_out.is_none()
            && let Poll::Ready(out) = this.a.as_mut().poll(cx)
        {
            this.a_out = Some(out);
        }
        if this.b_out.is_none()
            && let Poll::Ready(out) = this.b.as_mut().poll(cx)
        {
            this.b_out = Some(out);
        }
        // Both sides got the same `cx`: whichever wakes, the whole Join is
        // polled again.
        if this.a_out.is_some() && this.b_out.is_some() {
            let a = this.a_out.take().expect("checked above");
            let b = this.b_out.take().expect("checked above");
            Poll::Ready((a, b))
        } else {
            Poll::Pending
        }
        // ANCHOR_END: learn-join
    }
}
// ANCHOR_END: join
