//! Lesson 14 — capstone: a production-shaped server.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/14-capstone.md; `cargo workshop hint 14` gives a
//! hint when you are stuck. Everything that is not a `todo!()` is given:
//! the protocol (`respond`), `Config`, `Shutdown`, `Stats`, `End`.
//!
//! The protocol is one request per line, one reply per line:
//!
//! | request       | reply                                   |
//! |---------------|-----------------------------------------|
//! | (connect)     | `OK ready` (or `ERR busy ...` and close) |
//! | `PING`        | `PONG`                                  |
//! | `ECHO <text>` | `<text>`                                |
//! | `QUIT`        | `BYE` and close                         |
//! | anything else | `ERR ...` (the connection stays open)   |
//!
//! The limits, all in [`Config`]: at most `max_connections` clients at once
//! (the next one is refused with a line and closed, it does not wait), at
//! most `max_line` bytes per request line (more: an error line and close),
//! at most `idle_timeout` without a request or without reading a reply, and
//! at most `queue_len` replies waiting per client.

#![allow(unused_variables, unused_imports, dead_code)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use async_channel::{Receiver, Sender};
use async_executor::Executor;
use async_lock::Semaphore;
use async_net::{TcpListener, TcpStream};
use futures_lite::future;
use futures_lite::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use smol::Timer;

// ------------------------------------------------------------------ config

/// Every limit of the server in one place, so a check can make them tiny.
#[derive(Clone, Debug)]
pub struct Config {
    /// Clients served at the same time. Client number `max_connections + 1`
    /// gets [`BUSY`] and is closed at once: it does not wait in a queue.
    pub max_connections: usize,
    /// The longest request line, in bytes, without the `\n`. A longer line
    /// gets an error line and the connection is closed.
    pub max_line: usize,
    /// How long a client may stay silent between requests (or in the middle
    /// of one), and how long a reply may wait for the client to read it.
    pub idle_timeout: Duration,
    /// Replies that may wait for one client. When it is full the server
    /// stops reading that client's requests until there is room again (for
    /// at most `idle_timeout`). At least 1.
    pub queue_len: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_connections: 1024,
            max_line: 4096,
            idle_timeout: Duration::from_secs(30),
            queue_len: 32,
        }
    }
}

/// The first line every admitted client gets.
pub const GREETING: &str = "OK ready";
/// What a client over the limit gets before it is closed.
pub const BUSY: &str = "ERR busy: too many connections, try again later";
/// The last line of a client when the server shuts down.
pub const SHUTTING_DOWN: &str = "BYE server shutting down";
/// The last line of a client that was silent for too long.
pub const IDLE: &str = "ERR idle for too long, closing";

/// The error line for a request longer than `max`.
pub fn too_long(max: usize) -> String {
    format!("ERR line too long: the limit is {max} bytes, closing")
}

// ---------------------------------------------------------------- protocol

/// What the server does with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Send this line and wait for the next request.
    Line(String),
    /// Send this line, then close the connection.
    Close(String),
}

/// The protocol: one request line (without `\n`) in, one reply out. Plain
/// code, no I/O: the same function serves the async server and the
/// thread-per-connection baseline.
pub fn respond(line: &[u8]) -> Reply {
    let Ok(line) = std::str::from_utf8(line) else {
        return Reply::Line("ERR the line is not valid UTF-8".into());
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    match command {
        "PING" => Reply::Line("PONG".into()),
        "ECHO" => Reply::Line(rest.into()),
        "QUIT" => Reply::Close("BYE".into()),
        "" => Reply::Line("ERR empty request".into()),
        other => Reply::Line(format!("ERR unknown command {other:?}")),
    }
}

// --------------------------------------------------- exercise: read_line

/// One request line, as [`read_line_limited`] found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A line, without its `\n`. The last line of a stream may lack the
    /// `\n`. The bytes may be anything, valid UTF-8 or not.
    Text(Vec<u8>),
    /// The line is longer than the limit. Nothing more was read than the
    /// limit plus one byte.
    TooLong,
    /// The stream ended before any byte of a new line.
    Eof,
}

/// Exercise `read_line_limited`: reads one line of at most `max` bytes (not
/// counting the `\n`), and never takes more than `max + 1` bytes out of
/// `reader`, however long the line is.
pub async fn read_line_limited<R>(reader: &mut R, max: usize) -> std::io::Result<Line>
where
    R: AsyncBufRead + Unpin,
{
    // TODO: read ONE line from `reader` into a Vec<u8>, never taking more
    // than max + 1 bytes out of it: `(&mut *reader).take(max as u64 + 1)`
    // gives a reader that ends there, and `.read_until(b'\n', &mut buf).await?`
    // on it reads up to the newline (AsyncReadExt::take, AsyncBufReadExt::read_until).
    // Then: buf ends with `\n` -> pop it, Line::Text(buf); buf is empty ->
    // Line::Eof; buf.len() > max -> Line::TooLong; otherwise (the stream
    // ended without `\n`) -> Line::Text(buf). Keep the bytes as they are:
    // no String, no UTF-8 check here.
    todo!()
}

// ----------------------------------------------- exercise: idle timeout

/// The time ran out: [`with_idle_timeout`] gave up on the future.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Idle;

impl std::fmt::Display for Idle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("idle timeout")
    }
}

impl std::error::Error for Idle {}

/// Exercise `with_idle_timeout`: `Ok(output)` when `fut` finishes within
/// `idle`, `Err(Idle)` (and `fut` dropped, that is cancelled) when it does
/// not.
pub async fn with_idle_timeout<F: Future>(idle: Duration, fut: F) -> Result<F::Output, Idle> {
    // TODO: race `fut` against `smol::Timer::after(idle)` with
    // `future::or(a, b).await`: a = async { Ok(fut.await) }, b = async {
    // Timer::after(idle).await; Err(Idle) }. Both must have the same output
    // type. `or` drops the loser, which cancels it. Never std::thread::sleep.
    todo!()
}

// ---------------------------------------------------------------- shutdown

/// A shutdown signal: cheap to clone, `trigger` once, and every `wait`
/// (now or later) finishes.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Sender<()>,
    rx: Receiver<()>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        // Nobody ever sends on this channel: closing it is the signal, and a
        // closed channel wakes every receiver, now and later.
        let (tx, rx) = async_channel::bounded(1);
        Shutdown { tx, rx }
    }

    /// Asks everything that waits on this signal to stop.
    pub fn trigger(&self) {
        self.tx.close();
    }

    /// Has [`Shutdown::trigger`] been called?
    pub fn is_triggered(&self) -> bool {
        self.tx.is_closed()
    }

    /// Finishes once the signal is triggered.
    pub async fn wait(&self) {
        let _ = self.rx.recv().await;
    }
}

// ---------------------------------------------------------------- handler

/// Why a connection ended (when it ended without an I/O error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The client closed its side between requests.
    Eof,
    /// The client sent `QUIT`.
    Quit,
    /// A request was longer than `max_line`.
    TooLong,
    /// The client sent nothing for `idle_timeout`.
    Idle,
    /// The client did not read its replies: the queue stayed full for
    /// `idle_timeout`, or a reply could not be written for that long.
    SlowReader,
    /// The server shut down.
    Shutdown,
}

/// The error that ends a connection whose client does not read. It is
/// turned into [`End::SlowReader`] by [`handle_client`].
#[derive(Debug)]
pub struct SlowReader;

impl std::fmt::Display for SlowReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the client does not read its replies")
    }
}

impl std::error::Error for SlowReader {}

/// Exercise `handle_client`: serves one client until it quits, closes, sends
/// a line that is too long, stays idle, stops reading, or the server shuts
/// down. Returns why it ended; an I/O error comes back as `Err` with the
/// client's address in its context.
pub async fn handle_client(stream: TcpStream, cfg: &Config, shutdown: &Shutdown) -> Result<End> {
    // TODO: serve one client, in two halves that run at the same time
    // (future::try_zip(reader, writer).await), joined by a bounded queue:
    // `let (tx, rx) = async_channel::bounded::<Vec<u8>>(cfg.queue_len.max(1));`
    //
    // The reading half (owns `tx` and a BufReader over `stream.clone()`):
    //  1. queue GREETING. To queue a line: push `line + "\n"` with
    //     `with_idle_timeout(cfg.idle_timeout, tx.send(bytes)).await`. When
    //     the queue stays full that long the client does not read: return
    //     `Err(SlowReader.into())`.
    //  2. loop: wait for the next request OR shutdown, under the idle timeout:
    //     with_idle_timeout(idle, future::or(
    //         async { reader.fill_buf().await: empty -> closed, else -> a request began },
    //         async { shutdown.wait().await; -> shutdown })).
    //     Idle -> queue IDLE, return Ok(End::Idle). Closed -> Ok(End::Eof).
    //     Shutdown -> queue SHUTTING_DOWN, Ok(End::Shutdown).
    //  3. a request began: read it with
    //     with_idle_timeout(idle, read_line_limited(&mut reader, cfg.max_line))
    //     (not raced with shutdown: a started request is finished).
    //     Idle -> queue IDLE, End::Idle. Line::TooLong -> queue
    //     too_long(cfg.max_line), End::TooLong. Line::Eof -> End::Eof.
    //     Line::Text(bytes) -> respond(&bytes): Reply::Line -> queue it and
    //     loop; Reply::Close -> queue it, End::Quit.
    //  Returning drops `tx`: that tells the writer no more replies come.
    //
    // The writing half (owns `stream` and `rx`): while let Ok(reply) =
    // rx.recv().await, write_all it under with_idle_timeout (Idle ->
    // Err(SlowReader.into())); then flush.
    //
    // try_zip's result: Ok((end, ())) -> Ok(end); an error that
    // `e.is::<SlowReader>()` -> Ok(End::SlowReader); any other error ->
    // Err(e.context(format!("serving {peer}"))) with the client's address
    // from stream.peer_addr(). Add .context("...") to each I/O step too.
    todo!()
}

// ------------------------------------------------------------------- stats

/// Counters a check (or a dashboard) can read while the server runs.
#[derive(Debug, Default)]
pub struct Stats {
    active: AtomicUsize,
    max_active: AtomicUsize,
    accepted: AtomicUsize,
    refused: AtomicUsize,
    errors: AtomicUsize,
    ends: [AtomicUsize; 6],
}

/// A copy of the [`Stats`] counters at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Clients being served right now.
    pub active: usize,
    /// The most clients ever served at the same time.
    pub max_active: usize,
    /// Connections accepted from the listener (admitted or refused).
    pub accepted: usize,
    /// Connections refused because the server was full.
    pub refused: usize,
    /// Connections that ended with an I/O error (a reset, a broken pipe).
    pub errors: usize,
    pub eof: usize,
    pub quit: usize,
    pub too_long: usize,
    pub idle: usize,
    pub slow_reader: usize,
    pub shutdown: usize,
}

/// Counts one active client while it lives.
#[derive(Debug)]
pub struct ActiveGuard(Arc<Stats>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Stats {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Counts one more active client until the guard drops.
    pub fn enter(self: &Arc<Self>) -> ActiveGuard {
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_active.fetch_max(now, Ordering::SeqCst);
        ActiveGuard(self.clone())
    }

    pub fn accepted(&self) {
        self.accepted.fetch_add(1, Ordering::SeqCst);
    }

    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::SeqCst);
    }

    /// Records how a connection ended.
    pub fn ended(&self, end: &Result<End>) {
        let counter = match end {
            Err(_) => &self.errors,
            Ok(end) => &self.ends[*end as usize],
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    pub fn snapshot(&self) -> Snapshot {
        let get = |c: &AtomicUsize| c.load(Ordering::SeqCst);
        let end = |e: End| get(&self.ends[e as usize]);
        Snapshot {
            active: get(&self.active),
            max_active: get(&self.max_active),
            accepted: get(&self.accepted),
            refused: get(&self.refused),
            errors: get(&self.errors),
            eof: end(End::Eof),
            quit: end(End::Quit),
            too_long: end(End::TooLong),
            idle: end(End::Idle),
            slow_reader: end(End::SlowReader),
            shutdown: end(End::Shutdown),
        }
    }
}

// ------------------------------------------------------------ exercise: serve

/// Exercise `serve`: accepts clients until `shutdown`, each served by
/// [`handle_client`] in a task of its own on `ex`, at most
/// `cfg.max_connections` at once (the next one gets [`BUSY`] and is
/// closed). On shutdown it stops accepting (the listener is dropped), then
/// waits until every client has been served to the end, and returns.
pub async fn serve(
    ex: &Executor<'_>,
    listener: TcpListener,
    cfg: Config,
    stats: Arc<Stats>,
    shutdown: Shutdown,
) -> Result<()> {
    // TODO:
    //  - let limit = Arc::new(async_lock::Semaphore::new(cfg.max_connections));
    //  - loop: race shutdown.wait() (first) against listener.accept() with
    //    future::or. Shutdown -> break. An accept error -> eprintln, a short
    //    smol::Timer pause, continue (do not spin).
    //  - stats.accepted() for each client. Then limit.try_acquire_arc():
    //    None -> stats.refused(), write BUSY + "\n" to the stream (under
    //    with_idle_timeout), drop it, continue. Do NOT wait for a seat.
    //  - Some(permit) -> ex.spawn(async move { ... }).detach() with the permit
    //    MOVED into the task and held to its end, plus `stats.enter()`;
    //    the task runs handle_client(stream, &cfg, &shutdown) and records
    //    the result with stats.ended(&end). (Clone an Arc<Config>, the stats
    //    and the shutdown into each task.)
    //  - after the loop: drop(listener) (stop accepting), then drain: take
    //    back all cfg.max_connections permits with limit.acquire_arc().await
    //    (keep them in a Vec); when you have them all, every client task
    //    has ended. Return Ok(()).
    todo!()
}
