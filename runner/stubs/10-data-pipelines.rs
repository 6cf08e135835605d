//! Lesson 10 — data pipelines and backpressure.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/10-data-pipelines.md; `cargo workshop hint 10` gives
//! a hint when you are stuck.
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

/// Exercise `pipeline`: three stages joined by two bounded channels of
/// `capacity` items each, all running at the same time:
///
/// ```text
/// source ──▶ [read] ══ch1══▶ [transform] ══ch2══▶ [write] ──▶ sink
/// ```
///
/// Every item of `source` goes through `transform` and then into `sink`, in
/// order. Returns how many items reached the sink, once every stage is done.
pub async fn pipeline<I, O>(
    source: impl Stream<Item = I>,
    capacity: usize,
    mut transform: impl FnMut(I) -> O,
    mut sink: impl AsyncFnMut(O),
) -> usize {
    // TODO: make two channels with async_channel::bounded(capacity), then
    // write the three stages as `async move { .. }` blocks:
    //   read:      pin!(source); for each item from source.next().await,
    //              tx1.send(item).await (stop if it returns Err);
    //   transform: while let Ok(item) = rx1.recv().await,
    //              tx2.send(transform(item)).await;
    //   write:     while let Ok(item) = rx2.recv().await, sink(item).await,
    //              and count the items.
    // `move` matters: a stage that owns its Sender drops it when it ends,
    // which closes the channel, which ends the next stage's recv() loop.
    // Run all three at once: future::zip(future::zip(read, work), write).await,
    // and return the write stage's count.
    todo!()
}

/// Exercise `map_concurrent`: runs `f` on every item, at most `limit` at a
/// time, and returns the results in the order of `items` (not in the order
/// they finished). Panics when `limit` is 0.
pub async fn map_concurrent<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    // TODO: make `Arc::new(Semaphore::new(limit))`. For each item, first wait
    // for a free slot with `let permit = sem.acquire_arc().await;`, then
    // start the job as a task that owns the permit until the job is done:
    // `smol::spawn(async move { let out = job.await; drop(permit); out })`
    // where `job = f(item)`. Keep the Tasks in a Vec, in item order, and
    // after the loop await them one by one into the results Vec.
    todo!()
}

/// Exercise `write_lines`: writes every line from `lines` to `out`, each
/// followed by `\n`, through a `BufWriter`, and flushes before returning.
/// Returns how many lines were written. An I/O error is returned, not
/// swallowed.
pub async fn write_lines<W: AsyncWrite + Unpin>(
    out: W,
    lines: Receiver<String>,
) -> io::Result<usize> {
    // TODO: wrap `out` in `BufWriter::new(out)`. While
    // `lines.recv().await` gives Ok(line), `write_all` the line's bytes and
    // then b"\n" (each with `.await?`) and count it. When the channel is
    // closed, call `.flush().await?` before returning Ok(count): a BufWriter
    // cannot write its last bytes when it is dropped.
    todo!()
}

/// Exercise `write_lines` (second half): creates (or truncates) the file at
/// `path` with async-fs and writes the lines into it with [`write_lines`].
pub async fn save_lines(path: impl AsRef<Path>, lines: Receiver<String>) -> io::Result<usize> {
    // TODO: `let file = async_fs::File::create(path.as_ref()).await?;`
    // and hand it to `write_lines(file, lines).await`.
    todo!()
}

/// What [`count_words`] counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines, as `lines()` sees them: a last line without `\n` counts too.
    pub lines: usize,
    /// Words: runs of non-whitespace (`str::split_whitespace`).
    pub words: usize,
}

/// Exercise `count_words`: counts the lines and words of `input` one line at
/// a time, so that memory use stays small however big the input is.
pub async fn count_words<R: AsyncRead + Unpin>(input: R) -> io::Result<Counts> {
    // TODO: `let mut lines = BufReader::new(input).lines();` then
    // `while let Some(line) = lines.next().await { let line = line?; .. }`:
    // add 1 to `lines` and `line.split_whitespace().count()` to `words`.
    // Do not read the whole input into a String or collect the lines.
    todo!()
}
