//! Lesson 07 — composing futures: timeouts, fair turns, races and streams.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/07-composing-futures.md; `cargo workshop hint 7` gives
//! a hint when you are stuck.
#![allow(unused_variables, unused_imports, unused_mut)]

use std::fmt;
use std::future::Future;
use std::time::Duration;

use futures_lite::{Stream, StreamExt, future};
use smol::Timer;

/// The error [`with_timeout`] returns when the time ran out first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operation timed out")
    }
}

impl std::error::Error for TimedOut {}

/// Exercise `with_timeout`: the output of `work`, or `Err(TimedOut)` when
/// `limit` passes first. Never blocks the thread; the unfinished work is
/// dropped (cancelled) when time is up.
pub async fn with_timeout<F: Future>(work: F, limit: Duration) -> Result<F::Output, TimedOut> {
    // TODO: build two futures with the same output type,
    //   `async { Ok(work.await) }` and
    //   `async { Timer::after(limit).await; Err(TimedOut) }`,
    // and return whichever finishes first: `future::or(a, b).await`.
    // Never std::thread::sleep: it stops every task on the thread.
    todo!()
}

/// Exercise `take_turns`: calls `step(0)`, `step(1)`, ... `step(steps - 1)`
/// and gives the other tasks on the executor a turn after every step.
pub async fn take_turns(steps: usize, mut step: impl FnMut(usize)) {
    // TODO: for each i in 0..steps, call `step(i)` and then
    // `future::yield_now().await`, so that the executor runs the other
    // tasks before this one does its next step.
    todo!()
}

/// Exercise `hedge`: send the same request to two servers, return the first
/// answer and cancel the other request. When both answers are ready at the
/// same moment, `seed` decides fairly (and reproducibly) which one wins.
pub async fn hedge<T, P, B>(primary: P, backup: B, seed: u64) -> T
where
    P: Future<Output = T> + Send + 'static,
    B: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // TODO: race the two futures themselves (no spawning needed):
    // `future::race_with_seed(primary, backup, seed).await`. When it
    // returns, the losing future is dropped, which cancels it.
    todo!()
}

/// Exercise `first_valid`: the first `n` valid readings (those `>= 0`) as
/// `u32`, in order. Reads no more of the stream than it needs.
pub async fn first_valid(readings: impl Stream<Item = i32>, n: usize) -> Vec<u32> {
    // TODO: build a pipeline with the StreamExt methods:
    // `.filter(|r| *r >= 0)`, `.map(|r| r as u32)`, `.take(n)`, and
    // `.collect().await` it into a Vec. Take *after* filtering.
    todo!()
}
