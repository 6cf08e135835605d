//! Lesson 13 — the common mistakes: a bug hunt.
//!
//! Unlike the other lessons, most functions here are already written, and
//! they even compile and run. Each one hides a classic async mistake. Read
//! the `// TODO:` next to each bug (it tells you the symptom, not the fix),
//! run `cargo test` in this folder, read what the failing check says, and
//! fix the code. One small piece (`panic_text`) you write from scratch.
//!
//! The book chapter is book/src/13-common-mistakes.md; `cargo workshop hint
//! 13` gives a hint when you are stuck.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]
// Clippy would point straight at one of the bugs. No spoilers.
#![allow(clippy::let_underscore_future)]

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use futures_lite::{FutureExt, future};
use smol::{Executor, Timer};

// GIVEN: the settings load_config reads, from the lesson crate
// (lessons/13-common-mistakes/src/given.rs).
pub use lesson13_common_mistakes::Config;

// ------------------------------------------------------ blocking_sleep

/// Exercise `blocking_sleep`: calls `attempt(0)`, `attempt(1)`, ... until
/// one returns `Ok`, at most `tries` times (always at least once), and waits
/// `backoff` between two attempts. Returns the first `Ok`, or the error of
/// the last attempt. Other tasks on the same thread keep running while it
/// waits.
pub async fn fetch_with_retry<T, F, Fut>(
    tries: usize,
    backoff: Duration,
    mut attempt: F,
) -> anyhow::Result<T>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let mut n = 0;
    loop {
        match attempt(n).await {
            Ok(value) => return Ok(value),
            Err(e) if n + 1 >= tries => return Err(e),
            Err(_) => {}
        }
        // TODO: bug. Symptom: while one request waits here before its next
        // try, every other request served by this thread freezes too, and
        // the wait looks like a hang in the executor's logs. The wait itself
        // is right; the way it waits is not.
        std::thread::sleep(backoff);
        n += 1;
    }
}

// ----------------------------------------------------- swallowed_error

/// Exercise `swallowed_error`: reads a config file of `key = value` lines.
/// Blank lines and lines starting with `#` are skipped; the keys are `port`
/// (a u16) and `workers` (a usize); a key that is missing keeps its
/// default. Anything else is an error:
///
/// * a file that cannot be read: the error's message names the file, and
///   the `std::io::Error` is kept as its cause;
/// * a line that is not `port = N` or `workers = N`: the message names the
///   line, as `line N` (counting from 1), and a bad number keeps its
///   `ParseIntError` as the cause.
pub async fn load_config(path: &Path) -> anyhow::Result<Config> {
    // TODO: bug. Symptom: the service was started with a typo in the path
    // of its config file, and it ran happily on port 8080 with 4 workers
    // without a word about the file it never read.
    let text = smol::fs::read_to_string(path).await.unwrap_or_default();
    let mut config = Config::default();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // TODO: bug. Symptom: a line like `port 9000` (no `=`) is ignored,
        // silently.
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            // TODO: bug. Symptom: `port = 80a0` (a typo) leaves the port at
            // 8080, and nobody is told which line was wrong, or why.
            "port" => {
                if let Ok(port) = value.parse() {
                    config.port = port;
                }
            }
            "workers" => {
                if let Ok(workers) = value.parse() {
                    config.workers = workers;
                }
            }
            // TODO: bug. Symptom: `prot = 9000` is ignored, silently.
            _ => {}
        }
    }
    Ok(config)
}

// ---------------------------------------------------------- lost_panic

/// Exercise `lost_panic`: runs every job in a task of its own on `ex`, all
/// at the same time, and returns their outputs in the order of `jobs`. When
/// a job panics, returns an `Err` whose message names the job (`job N`,
/// counting from 0) and says what the panic said.
pub async fn run_all<'a, T, F>(ex: &Executor<'a>, jobs: Vec<F>) -> anyhow::Result<Vec<T>>
where
    F: Future<Output = T> + Send + 'a,
    T: Send + 'a,
{
    let (tx, rx) = smol::channel::unbounded();
    for (i, job) in jobs.into_iter().enumerate() {
        let tx = tx.clone();
        // TODO: bug. Symptom: a thumbnail batch where one image is corrupt
        // "succeeds" with one thumbnail missing. The panic message shows up
        // on stderr, but run_all() reports Ok and nobody finds out which
        // job failed.
        ex.spawn(async move {
            let output = job.await;
            // The receiver is only gone when run_all itself was cancelled.
            let _ = tx.send((i, output)).await;
        })
        .detach();
    }
    drop(tx);
    let mut outputs = Vec::new();
    while let Ok(pair) = rx.recv().await {
        outputs.push(pair);
    }
    outputs.sort_by_key(|(i, _)| *i);
    Ok(outputs.into_iter().map(|(_, output)| output).collect())
}

/// What a panic said: its message when the payload is text (`panic!("..")`
/// gives a `&str`, `panic!("{x}")` a `String`), and
/// `"a panic without a message"` otherwise. You will want it for
/// [`run_all`].
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    todo!()
}

// -------------------------------------------------------- dropped_task

/// Exercise `dropped_task`: runs `work` to the end while `heartbeat` runs in
/// a task of its own on `ex`, and returns the work's output. The heartbeat
/// runs for as long as the work does and stops (its task is cancelled) once
/// the work is done.
pub async fn with_heartbeat<'a, H, W>(ex: &Executor<'a>, heartbeat: H, work: W) -> W::Output
where
    H: Future<Output = ()> + Send + 'a,
    W: Future,
{
    // TODO: bug. Symptom: during a long upload the server never hears a
    // single heartbeat and closes the session as idle. The heartbeat code
    // itself is fine; it just never runs.
    let _ = ex.spawn(heartbeat);
    work.await
}

// ------------------------------------------------------ needless_async

/// Exercise `needless_async`: splits one header line, `Name: value`, into
/// its name in lower case and its value without the spaces around it.
/// `None` when the line has no `:` or the name is empty.
// TODO: bug. Symptom: the command-line tool that prints a request's headers
// has no executor, yet it must call `smol::block_on(parse_header(line))`
// for every line, and a call without `.await` silently does nothing. This
// function never waits for anything.
pub async fn parse_header(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.trim().to_string()))
}

// -------------------------------------------------------- not_parallel

/// Exercise `not_parallel`: runs two CPU-heavy jobs on two other threads at
/// the same time (so two cores can work on them) and returns both results.
/// The executor's thread stays free for other tasks while they run.
pub async fn crunch_both<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send + 'static,
    B: FnOnce() -> RB + Send + 'static,
    RA: Send + 'static,
    RB: Send + 'static,
{
    // TODO: bug. Symptom: on a machine with 2 cores this takes as long as
    // running the two jobs one after the other; one core does all the work
    // while the other idles, and every other task on this executor stalls
    // until both jobs are done. "zip runs them at the same time", doesn't it?
    future::zip(async move { a() }, async move { b() }).await
}
