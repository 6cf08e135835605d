//! Lesson 11 — CPU-bound work and parallelism.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/11-cpu-bound-and-parallelism (`cargo workshop generate`). Both
//! crates are checked by `tests/11-cpu-bound-and-parallelism.rs`.
// solution:end
//~ //! Three exercises, each a spec: what must hold, not how. Replace each
//~ //! `todo!()` and run `cargo test` in this folder. Read
//~ //! book/src/11-cpu-bound-and-parallelism.md first; `cargo workshop hint
//~ //! 11` gives one hint at a time when you are stuck.
//~ #![allow(unused_variables, unused_imports)]

use std::thread;

use futures_lite::future;
use smol::Executor;

// GIVEN: the slow checksum and what parallel_sum returns, from the lesson
// crate (lessons/11-cpu-bound-and-parallelism/src/given.rs).
pub use lesson11_cpu_bound_and_parallelism::{Checksum, ROUNDS, Summed, checksum};

// ------------------------------------------------------------ exercises

// ANCHOR: hash_in_background
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
    // ANCHOR: learn-hash_in_background
    // `unblock` wants a `'static` closure: it runs later, on another thread,
    // so it must own everything it touches. Move the Vec in.
    blocking::unblock(move || hash(&data)).await
    // ANCHOR_END: learn-hash_in_background
}
// ANCHOR_END: hash_in_background

// ANCHOR: parallel_sum
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
    // ANCHOR: learn-parallel_sum
    assert!(threads > 0, "parallel_sum needs at least one thread");
    let work = &work;
    let ex = Executor::new();
    // One task per chunk. Each records the thread that ran it.
    let tasks: Vec<_> = chunks
        .iter()
        .map(|chunk| ex.spawn(async move { (work(chunk), thread::current().id()) }))
        .collect();

    // Closing this channel tells every worker to stop.
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    thread::scope(|s| {
        for _ in 0..threads {
            let (ex, stopped) = (&ex, stopped.clone());
            s.spawn(move || future::block_on(ex.run(stopped.recv())));
        }
        // The calling thread only collects the results, in chunk order.
        let mut summed = Summed {
            total: 0,
            ran_on: Vec::with_capacity(chunks.len()),
        };
        for task in tasks {
            let (value, thread) = future::block_on(task);
            summed.total += value;
            summed.ran_on.push(thread);
        }
        drop(stop); // every worker's run() returns; the scope joins them
        summed
    })
    // ANCHOR_END: learn-parallel_sum
}
// ANCHOR_END: parallel_sum

// ANCHOR: checksum_cooperatively
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
    // ANCHOR: learn-checksum_cooperatively
    assert!(slice > 0, "a slice must hold at least one byte");
    let mut sum = Checksum::new();
    for part in data.chunks(slice) {
        sum.update(part);
        // Give the thread back: every other ready task runs before we go on.
        future::yield_now().await;
    }
    sum.finish()
    // ANCHOR_END: learn-checksum_cooperatively
}
// ANCHOR_END: checksum_cooperatively
