//! Lesson 10 — data pipelines and backpressure.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/10-data-pipelines.md; `cargo workshop hint 10` gives
//! a hint when you are stuck.
//!
//! Crates you may use: async-channel, async-lock, async-fs, futures-lite
//! and smol (all already imported below).
#![allow(unused_variables, unused_imports, unused_mut)]

use std::future::Future;
use std::io;
use std::path::Path;
use std::sync::Arc;

use async_channel::{Receiver, bounded};
use async_lock::Semaphore;
use futures_lite::io::{
    AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter,
};
use futures_lite::{Stream, StreamExt, future, pin};

// GIVEN: what count_words returns, from the lesson crate
// (lessons/10-data-pipelines/src/given.rs).
pub use lesson10_data_pipelines::Counts;

/// Exercise `pipeline`: three stages joined by two bounded channels of
/// `capacity` items each, all running at the same time:
///
/// ```text
/// source ──▶ [read] ══ch1══▶ [transform] ══ch2══▶ [write] ──▶ sink
/// ```
///
/// Every item of `source` goes through `transform` and then into `sink`, in
/// order. Returns how many items reached the sink, once every stage is done.
/// An empty source is fine (0 items, and the sink is never called); a
/// capacity of 1 must still deliver everything.
///
/// Backpressure is the point: a fast source may never run far ahead of a
/// slow sink. The checks stream 10 MB into a sink that dawdles and count how
/// many items were ever between the two: never more than both channels full
/// plus one item in the hands of each of the first two stages, and (so that
/// you really use two channels of `capacity`) at least both channels full.
/// When the pipeline stops moving, the checks tell you from their counters
/// whether a stage never ended or the stages ran one after another.
/// Read: "The idea" and "Exercise: pipeline" in the chapter.
pub async fn pipeline<I, O>(
    source: impl Stream<Item = I>,
    capacity: usize,
    mut transform: impl FnMut(I) -> O,
    mut sink: impl AsyncFnMut(O),
) -> usize {
    todo!()
}

/// Exercise `map_concurrent`: runs `f` on every item, at most `limit` at a
/// time, and returns the results in the order of `items` (not in the order
/// they finished). Panics when `limit` is 0.
///
/// The checks prove three things: the limit is *reached* (a gate opens only
/// when `limit` jobs wait at it together) and never *exceeded* (an in-flight
/// counter); a finished job frees its slot at once, so a slow job never holds
/// up a whole batch; and jobs that finish in reverse order still come back
/// in the order of `items`.
/// Read: "Demo: at most three at a time" and "Exercise: map_concurrent".
pub async fn map_concurrent<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    todo!()
}

/// Exercise `write_lines`: writes every line from `lines` to `out`, each
/// followed by `\n`, through a `BufWriter`, and flushes before returning.
/// Returns how many lines were written, once the channel is closed and
/// empty. An I/O error is returned unchanged, not swallowed.
///
/// The checks use a writer that only keeps what was *flushed* (everything
/// must be there when you return), count its writes (1000 short lines must
/// arrive in a handful of big writes, not one write per line), and make
/// every write fail like a full disk.
/// Read: "Demo: flush before drop" and "Exercise: write_lines".
pub async fn write_lines<W: AsyncWrite + Unpin>(
    out: W,
    lines: Receiver<String>,
) -> io::Result<usize> {
    todo!()
}

/// Exercise `write_lines` (second half): creates (or truncates) the file at
/// `path` and writes the lines into it with [`write_lines`].
///
/// Every file operation must stay off the executor's thread: the checks
/// write into a real file, and (on Unix) into a named pipe whose reader only
/// shows up once your future has let the executor run something else. A
/// `std::fs` call blocks right there, and the check says so.
pub async fn save_lines(path: impl AsRef<Path>, lines: Receiver<String>) -> io::Result<usize> {
    todo!()
}

/// Exercise `count_words`: counts the lines and words of `input` one line at
/// a time, so that memory use stays small however big the input is. A read
/// error comes back as that error, not as a short count.
///
/// The checks stream a generated 8 MB input while a counting allocator
/// watches: less than 1 MiB of heap may be held at once. They also feed the
/// input in pieces split mid-word from a producer on the same thread, and
/// fail the input part way.
/// Read: "Exercise: count_words" in the chapter.
pub async fn count_words<R: AsyncRead + Unpin>(input: R) -> io::Result<Counts> {
    todo!()
}
