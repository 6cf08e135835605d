//! Lesson 11 — CPU-bound work and parallelism.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/11-cpu-bound-and-parallelism.md; `cargo workshop hint 11`
//! gives a hint when you are stuck.
#![allow(unused_variables, unused_imports)]

use std::thread::{self, ThreadId};

use futures_lite::future;
use smol::Executor;

// ------------------------------------------------------------ provided

/// How many mixing rounds [`Checksum`] spends on every byte: enough to make
/// a few megabytes take a noticeable while, so it stands in for any
/// CPU-heavy job (hashing passwords, compressing, resizing an image).
pub const ROUNDS: u32 = 32;

/// A deliberately slow checksum that can be fed in pieces: feeding `data`
/// in one `update` or in many slices gives the same result.
#[derive(Clone, Debug)]
pub struct Checksum(u64);

impl Checksum {
    pub const fn new() -> Self {
        Checksum(0xcbf2_9ce4_8422_2325)
    }

    /// Mixes `bytes` into the checksum. Pure CPU work: no I/O, no waiting.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let mut x = self.0 ^ u64::from(b);
            for _ in 0..ROUNDS {
                x = x.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(7);
            }
            self.0 = x;
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The checksum of `data` in one go.
pub fn checksum(data: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(data);
    sum.finish()
}

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

/// What [`parallel_sum`] hands back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summed {
    /// The sum of `work(chunk)` over all chunks.
    pub total: u64,
    /// `ran_on[i]` is the thread that ran `work(&chunks[i])`.
    pub ran_on: Vec<ThreadId>,
}

// ------------------------------------------------------------ exercises

/// Exercise `hash_in_background`: runs `hash(&data)` on blocking's thread
/// pool and returns its result, so the executor's thread stays free for
/// other tasks while the hash runs.
pub async fn hash_in_background<H>(data: Vec<u8>, hash: H) -> u64
where
    H: FnOnce(&[u8]) -> u64 + Send + 'static,
{
    // TODO: run `hash(&data)` on another thread and await its result:
    // `blocking::unblock(move || hash(&data)).await`. The closure must own
    // `data` (it runs later, on a pool thread), hence the `move`.
    // Calling `hash(&data)` right here would run it inside this poll and
    // freeze every other task on the executor until it is done; so would
    // `std::thread::spawn(..).join()`. And do not `smol::spawn` it: that
    // runs it on an executor thread, where it blocks other tasks instead.
    todo!()
}

/// Exercise `parallel_sum`: runs `work` on every chunk as a task of one
/// `smol::Executor` driven by `threads` worker threads, and returns the sum
/// of the results and, for each chunk, the thread that ran it.
pub fn parallel_sum<F>(chunks: &[Vec<u64>], threads: usize, work: F) -> Summed
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    // TODO:
    // 1. `let work = &work; let ex = Executor::new();` and spawn one task per
    //    chunk: `ex.spawn(async move { (work(chunk), thread::current().id()) })`.
    //    Keep the tasks (a dropped Task is cancelled).
    // 2. Make a shutdown channel: `let (stop, stopped) = smol::channel::bounded::<()>(1);`
    // 3. In `thread::scope(|s| ..)`, start exactly `threads` worker threads,
    //    each running `future::block_on(ex.run(stopped.recv()))`: every one
    //    of them picks up tasks until the channel closes.
    // 4. Still inside the scope, on the calling thread, `future::block_on`
    //    each task in chunk order; add up the values into `total` and push
    //    the thread ids into `ran_on`.
    // 5. `drop(stop)` so the workers' `run` returns (else the scope waits for
    //    them forever), and return the `Summed`.
    todo!()
}

/// Exercise `checksum_cooperatively`: the same value as [`checksum`], but
/// computed on the executor's thread in slices of at most `slice` bytes,
/// with a `yield_now` after each slice so other tasks run in between.
pub async fn checksum_cooperatively(data: &[u8], slice: usize) -> u64 {
    // TODO: make one `Checksum::new()`; for each `part` of
    // `data.chunks(slice)`, `update(part)` and then
    // `future::yield_now().await`; return `finish()`.
    // Not `checksum(data)` in one go (that never gives the thread back), not
    // a yield after every byte (each yield costs a trip through the
    // executor), and not `blocking::unblock` (this work stays on the
    // executor's thread on purpose).
    todo!()
}
