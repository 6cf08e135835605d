//! Lesson 10 — data pipelines and backpressure.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/10-data-pipelines (`cargo workshop generate`). Both crates are
//! checked by `tests/10-data-pipelines.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. The book
//~ //! chapter is book/src/10-data-pipelines.md; `cargo workshop hint 10` gives
//~ //! a hint when you are stuck.
//~ //!
//~ //! Crates you may use: async-channel, async-lock, async-fs, futures-lite
//~ //! and smol (all already imported below).
//~ #![allow(unused_variables, unused_imports, unused_mut)]

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
    // ANCHOR: learn-pipeline
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
    // ANCHOR_END: learn-pipeline
}
// ANCHOR_END: pipeline

// ANCHOR: map_concurrent
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
    // ANCHOR: learn-map_concurrent
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
    // ANCHOR_END: learn-map_concurrent
}
// ANCHOR_END: map_concurrent

// ANCHOR: write_lines
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
    // ANCHOR: learn-write_lines
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
    // ANCHOR_END: learn-write_lines
}
// ANCHOR_END: write_lines

// ANCHOR: save_lines
/// Exercise `write_lines` (second half): creates (or truncates) the file at
/// `path` and writes the lines into it with [`write_lines`].
///
/// Every file operation must stay off the executor's thread: the checks
/// write into a real file, and (on Unix) into a named pipe whose reader only
/// shows up once your future has let the executor run something else. A
/// `std::fs` call blocks right there, and the check says so.
pub async fn save_lines(path: impl AsRef<Path>, lines: Receiver<String>) -> io::Result<usize> {
    // ANCHOR: learn-write_lines-save
    // async_fs opens the file on blocking's thread pool; std::fs::File::create
    // would block the executor until the OS answers (forever, for a pipe
    // nobody reads yet).
    let file = async_fs::File::create(path.as_ref()).await?;
    write_lines(file, lines).await
    // ANCHOR_END: learn-write_lines-save
}
// ANCHOR_END: save_lines

// ANCHOR: count_words
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
    // ANCHOR: learn-count_words
    let mut lines = BufReader::new(input).lines();
    let mut counts = Counts::default();
    while let Some(line) = lines.next().await {
        let line = line?;
        counts.lines += 1;
        counts.words += line.split_whitespace().count();
        // `line` is dropped here: only one line is in memory at a time.
    }
    Ok(counts)
    // ANCHOR_END: learn-count_words
}
// ANCHOR_END: count_words
