//! Lesson 11 — CPU-bound work and parallelism.
//!
//! Three exercises, each a spec: what must hold, not how. Replace each
//! `todo!()` and run `cargo test` in this folder. Read
//! book/src/11-cpu-bound-and-parallelism.md first; `cargo workshop hint
//! 11` gives one hint at a time when you are stuck.
#![allow(unused_variables, unused_imports)]

use std::thread;

use futures_lite::future;
use smol::Executor;

// GIVEN: the slow checksum and what parallel_sum returns, from the lesson
// crate (lessons/11-cpu-bound-and-parallelism/src/given.rs).
pub use lesson11_cpu_bound_and_parallelism::{Checksum, ROUNDS, Summed, checksum};

// ------------------------------------------------------------ exercises

/// Exercise `hash_in_background`: returns `hash(&data)`, computed exactly
/// once, away from the executor.
///
/// Spec:
/// * `hash` is slow, CPU-bound work. While it runs, the thread that polls
///   this future stays free: the checks run a ticker task on that thread and
///   count its ticks while the hash is in progress (the hash waits for them).
/// * The hash runs neither on the executor's thread nor on a thread of
///   smol's global executor (those run async tasks too), but on a thread
///   meant for blocking work. Allowed crates: `blocking`, `smol`.
/// * No single poll of this future takes long (the blocking detector).
///
/// Read: "Demo: one long poll stalls the whole thread" and "Exercise:
/// hash_in_background".
pub async fn hash_in_background<H>(data: Vec<u8>, hash: H) -> u64
where
    H: FnOnce(&[u8]) -> u64 + Send + 'static,
{
    todo!()
}

/// Exercise `parallel_sum`: the sum of `work(chunk)` over all `chunks`,
/// and for each chunk the thread that ran its `work` ([`Summed`]).
///
/// Spec:
/// * Every chunk is a task of one `smol::Executor`, and exactly `threads`
///   worker threads run that executor: a worker that is free picks up the
///   next task, so one slow chunk never holds up the others (the checks
///   keep one chunk busy until every other chunk is done).
/// * Two chunks are in `work` at the same moment on two threads (a gate
///   that opens only then); with `threads = 1`, one at a time.
/// * When it returns, every chunk is done and every thread it started has
///   ended. No chunks: total 0.
///
/// Read: "Demo: concurrency is not parallelism" and "Exercise:
/// parallel_sum".
pub fn parallel_sum<F>(chunks: &[Vec<u64>], threads: usize, work: F) -> Summed
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    todo!()
}

/// Exercise `checksum_cooperatively`: the same value as [`checksum`], but
/// computed on the executor's own thread in slices of at most `slice` bytes,
/// taking turns with the other tasks.
///
/// Spec:
/// * It gives the thread back once per slice: not only once in all, not
///   after every byte (the checks count its polls), and another task on
///   the same thread runs between any two slices.
/// * No other thread is involved.
///
/// Read: "Demo: taking turns in slices" and "Exercise:
/// checksum_cooperatively".
pub async fn checksum_cooperatively(data: &[u8], slice: usize) -> u64 {
    todo!()
}
