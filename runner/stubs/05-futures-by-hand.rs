//! Lesson 05 — the Future trait and block_on by hand.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/05-futures-by-hand.md; `cargo workshop hint 5` gives a
//! hint when you are stuck. Only the standard library is used here: no
//! executor crate, no helper crate. That is the point.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

/// Exercise `block_on`: runs `fut` to completion on the calling thread and
/// returns its output. Between polls the thread sleeps (parks) until the
/// future's waker is called: no busy-spinning.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    // TODO: write a tiny executor for one future.
    // 1. Make a waker: a struct holding `std::thread::current()` and an
    //    `AtomicBool` "woken" flag, with `impl Wake` that sets the flag and
    //    then calls `thread.unpark()`. Turn an `Arc` of it into a `Waker` with
    //    `Waker::from(arc.clone())`, and a `Context::from_waker(&waker)`.
    // 2. Pin the future (`let mut fut = pin!(fut);`) and loop:
    //    `fut.as_mut().poll(&mut cx)`; on `Poll::Ready(out)` return `out`.
    // 3. On `Poll::Pending`, sleep until woken:
    //    `while !woken.swap(false, ..) { std::thread::park(); }`.
    //    Do NOT poll again before a wake (that is busy-spinning), and do NOT
    //    clear the flag after the poll without looking at it (a wake that came
    //    during the poll would be lost and you would sleep forever).
    todo!()
}

/// Exercise `yields`: a future that is `Pending` `n` times, waking itself each
/// time, and then `Ready(())`. `Yields(0)` is ready at once.
#[derive(Debug)]
pub struct Yields(pub usize);

impl Future for Yields {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: if `self.0` is 0, return `Poll::Ready(())`. Otherwise count it
        // down by one, call `cx.waker().wake_by_ref()` (so the executor knows
        // to poll again) and return `Poll::Pending`.
        todo!()
    }
}

/// Exercise `join`: a future that runs two futures at the same time and is
/// ready with both outputs when both are done. Make one with [`join`].
pub struct Join<A: Future, B: Future> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
    a_out: Option<A::Output>,
    b_out: Option<B::Output>,
}

/// `Join` never pins its outputs, only the two futures (and those are boxed),
/// so moving a `Join` is always fine.
impl<A: Future, B: Future> Unpin for Join<A, B> {}

/// Joins `a` and `b`: the returned future polls both and is ready with
/// `(output of a, output of b)` when both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Box::pin(a),
        b: Box::pin(b),
        a_out: None,
        b_out: None,
    }
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: `let this = self.get_mut();` (Join is Unpin). Then, on EVERY
        // poll: if `this.a_out` is None, poll `this.a.as_mut()` with the same
        // `cx` and store a Ready output in `a_out`; do the same for `b`. Never
        // poll a side whose output you already have. When both outputs are
        // Some, take them and return `Poll::Ready((a, b))`; else `Poll::Pending`.
        todo!()
    }
}
