//! Lesson 07 — composing futures: timeouts, fair turns, races and streams.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/07-composing-futures.md; `cargo workshop hint 7`
//! gives one hint at a time when you are stuck.
//!
//! Crates you may use: futures-lite and smol (already imported below).
#![allow(unused_variables, unused_imports, unused_mut)]

use std::future::Future;
use std::time::Duration;

use futures_lite::{Stream, StreamExt, future};
use smol::Timer;

// GIVEN: the error of with_timeout, from the lesson crate
// (lessons/07-composing-futures/src/given.rs).
pub use lesson07_composing_futures::TimedOut;

/// Exercise `with_timeout`: the output of `work`, or `Err(TimedOut)` when
/// `limit` passes first. Never blocks the thread; the unfinished work is
/// dropped (cancelled) when time is up.
///
/// The checks give work that finishes after a turn (with a 60 s limit),
/// work that never finishes (with a 200 ms limit) while another task on the
/// same thread must keep getting turns, and count how often your future is
/// polled while it waits: a busy loop that checks the clock is too many.
/// They also check that the unfinished work was dropped.
/// Read: "Demo: a timeout is a race against a timer" and "Exercise: with_timeout".
pub async fn with_timeout<F: Future>(work: F, limit: Duration) -> Result<F::Output, TimedOut> {
    todo!()
}

/// Exercise `take_turns`: calls `step(0)`, `step(1)`, ... `step(steps - 1)`
/// and gives the other tasks on the executor a turn after every step.
///
/// The checks run several workers on one `LocalExecutor`, one `try_tick` at
/// a time, and read the shared log: two workers must alternate exactly,
/// three go round the table, and a 50-step worker never makes a 1-step one
/// wait. At most one step may run per turn of the executor.
/// Read: "Demo: taking turns with `yield_now`" and "Exercise: take_turns".
pub async fn take_turns(steps: usize, mut step: impl FnMut(usize)) {
    todo!()
}

/// Exercise `hedge`: send the same request to two servers, return the first
/// answer and cancel the other request. When both answers are ready at the
/// same moment, `seed` decides fairly (and reproducibly) which one wins.
///
/// The checks prove that both requests are in flight at once (a gate opens
/// only when both wait at it), that the loser is already dropped when
/// `hedge` returns (not later, not never), and that over 32 seeds of a tie
/// both sides win some, with the same winner every time for the same seed.
/// Read: "Demo: races, ties and seeds" and "Exercise: hedge".
pub async fn hedge<T, P, B>(primary: P, backup: B, seed: u64) -> T
where
    P: Future<Output = T> + Send + 'static,
    B: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    todo!()
}

/// Exercise `first_valid`: the first `n` valid readings (those `>= 0`) as
/// `u32`, in order. Reads no more of the stream than it needs.
///
/// The checks count how many readings you pull out of the source (exactly
/// as many as it takes to find `n` valid ones; none for `n = 0`), and feed
/// readings that arrive one at a time from a producer on the same thread.
/// Read: "Demo: streams, pulled one item at a time" and "Exercise: first_valid".
pub async fn first_valid(readings: impl Stream<Item = i32>, n: usize) -> Vec<u32> {
    todo!()
}
