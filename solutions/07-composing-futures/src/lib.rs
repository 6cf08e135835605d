//! Lesson 07 — composing futures: timeouts, fair turns, races and streams.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/07-composing-futures.rs`.

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

// ANCHOR: with_timeout
/// Exercise `with_timeout`: the output of `work`, or `Err(TimedOut)` when
/// `limit` passes first. Never blocks the thread; the unfinished work is
/// dropped (cancelled) when time is up.
pub async fn with_timeout<F: Future>(work: F, limit: Duration) -> Result<F::Output, TimedOut> {
    // Two futures with the same output type, raced by `or`: whichever is
    // ready first wins, and `or` drops the other one when it returns.
    let work = async { Ok(work.await) };
    let timer = async {
        Timer::after(limit).await;
        Err(TimedOut)
    };
    future::or(work, timer).await
}
// ANCHOR_END: with_timeout

// ANCHOR: take_turns
/// Exercise `take_turns`: calls `step(0)`, `step(1)`, ... `step(steps - 1)`
/// and gives the other tasks on the executor a turn after every step.
pub async fn take_turns(steps: usize, mut step: impl FnMut(usize)) {
    for i in 0..steps {
        step(i);
        // Returns Pending once (after waking itself), so the executor moves
        // on to the next task in its queue before this one continues.
        future::yield_now().await;
    }
}
// ANCHOR_END: take_turns

// ANCHOR: hedge
/// Exercise `hedge`: send the same request to two servers, return the first
/// answer and cancel the other request. When both answers are ready at the
/// same moment, `seed` decides fairly (and reproducibly) which one wins.
pub async fn hedge<T, P, B>(primary: P, backup: B, seed: u64) -> T
where
    P: Future<Output = T> + Send + 'static,
    B: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // race_with_seed polls both, in an order the seeded generator picks on
    // every poll. When it returns, the loser is dropped right here with it.
    future::race_with_seed(primary, backup, seed).await
}
// ANCHOR_END: hedge

// ANCHOR: first_valid
/// Exercise `first_valid`: the first `n` valid readings (those `>= 0`) as
/// `u32`, in order. Reads no more of the stream than it needs.
pub async fn first_valid(readings: impl Stream<Item = i32>, n: usize) -> Vec<u32> {
    readings
        .filter(|r| *r >= 0)
        .map(|r| r as u32)
        // take after filter: n *valid* readings, and not one item more is
        // pulled from the source once the n-th has arrived.
        .take(n)
        .collect()
        .await
}
// ANCHOR_END: first_valid
