//! Lesson 05 — the Future trait and block_on by hand.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. Read the
//! chapter book/src/05-futures-by-hand.md first; `cargo workshop hint 5`
//! gives one hint at a time when you are stuck.
//!
//! Only the standard library is used: no executor crate, no helper crate.
//! That is the point.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

// Your waker type for `block_on` (and its `impl Wake`) goes here.

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
    todo!()
}

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
        todo!()
    }
}

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
pub struct Join<A: Future, B: Future> {
    // your fields here (replace this placeholder)
    todo: std::marker::PhantomData<(A, B)>,
}

/// Joins `a` and `b`: the returned future polls both and is ready with
/// `(output of a, output of b)` when both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    todo!()
}

/// Polling a `Join` polls each side that has not finished yet, every time,
/// with the `Context` it was given; a side that is done is never polled
/// again. It is `Ready((a_out, b_out))`, in that order, once both are done.
/// The checks count the polls of each side, finish either side first, and
/// run two async blocks that can only finish while both are in progress.
impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        todo!()
    }
}
