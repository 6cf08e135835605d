//! Lesson 10 — data pipelines and backpressure.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/10-data-pipelines.rs`.

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

// ANCHOR: pipeline
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
    let (tx1, rx1) = bounded::<I>(capacity);
    let (tx2, rx2) = bounded::<O>(capacity);

    // `async move` moves tx1 into the stage: when the stage ends, tx1 is
    // dropped, the channel closes, and the next stage's recv() returns Err.
    let read = async move {
        pin!(source);
        while let Some(item) = source.next().await {
            // send() waits while ch1 is full: this is the backpressure.
            if tx1.send(item).await.is_err() {
                break; // nobody reads any more
            }
        }
    };
    let work = async move {
        while let Ok(item) = rx1.recv().await {
            if tx2.send(transform(item)).await.is_err() {
                break;
            }
        }
    }; // tx2 dropped here: the write stage ends after the last item
    let write = async move {
        let mut written = 0;
        while let Ok(item) = rx2.recv().await {
            sink(item).await;
            written += 1;
        }
        written
    };
    // One future that polls all three stages: they run at the same time.
    let (((), ()), written) = future::zip(future::zip(read, work), write).await;
    written
}
// ANCHOR_END: pipeline

// ANCHOR: map_concurrent
/// Exercise `map_concurrent`: runs `f` on every item, at most `limit` at a
/// time, and returns the results in the order of `items` (not in the order
/// they finished). Panics when `limit` is 0.
pub async fn map_concurrent<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    assert!(limit > 0, "map_concurrent needs a limit of at least 1");
    let permits = Arc::new(Semaphore::new(limit));
    let mut tasks = Vec::with_capacity(items.len());
    for item in items {
        // Wait for a free slot *before* starting the next job. The guard is
        // 'static (it holds an Arc), so it can move into the task...
        let permit = permits.acquire_arc().await;
        let job = f(item);
        tasks.push(smol::spawn(async move {
            let out = job.await;
            // ...and the slot frees up when the job is done, not before.
            drop(permit);
            out
        }));
    }
    // Await the tasks in the order they were started: input order.
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await);
    }
    results
}
// ANCHOR_END: map_concurrent

// ANCHOR: write_lines
/// Exercise `write_lines`: writes every line from `lines` to `out`, each
/// followed by `\n`, through a `BufWriter`, and flushes before returning.
/// Returns how many lines were written. An I/O error is returned, not
/// swallowed.
pub async fn write_lines<W: AsyncWrite + Unpin>(
    out: W,
    lines: Receiver<String>,
) -> io::Result<usize> {
    // Many small writes become few big ones.
    let mut out = BufWriter::new(out);
    let mut count = 0;
    while let Ok(line) = lines.recv().await {
        out.write_all(line.as_bytes()).await?;
        out.write_all(b"\n").await?;
        count += 1;
    }
    // The last bytes are still in the BufWriter's buffer. Nothing can write
    // them in Drop (there is no async Drop), so flush now: it writes the
    // buffer and then flushes `out` itself.
    out.flush().await?;
    Ok(count)
}
// ANCHOR_END: write_lines

// ANCHOR: save_lines
/// Exercise `write_lines` (second half): creates (or truncates) the file at
/// `path` with async-fs and writes the lines into it with [`write_lines`].
pub async fn save_lines(path: impl AsRef<Path>, lines: Receiver<String>) -> io::Result<usize> {
    let file = async_fs::File::create(path.as_ref()).await?;
    write_lines(file, lines).await
}
// ANCHOR_END: save_lines

/// What [`count_words`] counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines, as `lines()` sees them: a last line without `\n` counts too.
    pub lines: usize,
    /// Words: runs of non-whitespace (`str::split_whitespace`).
    pub words: usize,
}

// ANCHOR: count_words
/// Exercise `count_words`: counts the lines and words of `input` one line at
/// a time, so that memory use stays small however big the input is.
pub async fn count_words<R: AsyncRead + Unpin>(input: R) -> io::Result<Counts> {
    let mut lines = BufReader::new(input).lines();
    let mut counts = Counts::default();
    while let Some(line) = lines.next().await {
        let line = line?;
        counts.lines += 1;
        counts.words += line.split_whitespace().count();
        // `line` is dropped here: only one line is in memory at a time.
    }
    Ok(counts)
}
// ANCHOR_END: count_words
