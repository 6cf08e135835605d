//! Lesson 14 — capstone: a production-shaped server.
//!
//! The capstone. Four tickets, one server: each `todo!()` below is a
//! ticket with its requirements, limits and failure behaviour; the how is
//! yours. Everything that is not a `todo!()` is given: the protocol
//! (`respond`), `Config`, `Shutdown`, `Stats`, `End`. Run `cargo test` in
//! this folder; book/src/14-capstone.md is the chapter, and
//! `cargo workshop hint 14` helps when you are stuck.
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

/// Exercise `read_line_limited`. **Ticket CAP-1: a request line must not
/// be able to eat the server's memory.**
///
/// Requirements:
/// * Read the next request line from `reader` and return it as
///   [`Line::Text`], without its `\n`. The bytes are kept exactly as they
///   came (not every client speaks UTF-8; the protocol decides what to say
///   about that, not the reader).
/// * A stream that ends before the first byte of a line: [`Line::Eof`].
/// * A last line without a `\n` is still a line, as long as it is within
///   the limit.
///
/// Limits:
/// * `max` bytes per line, not counting the `\n`. A line of exactly `max`
///   bytes is fine (with or without its `\n`); `max + 1` is [`Line::TooLong`].
/// * However long the line (a client may send gigabytes without a newline),
///   never take more than `max + 1` bytes out of `reader` for it.
///
/// Failure behaviour: an I/O error of the reader is returned as it is.
///
/// Acceptance: the checks read lines one by one, lines right at the limit
/// and one byte over it, bytes that are not UTF-8, and an 8 MiB line from a
/// reader that counts every byte taken. Book: "Exercise: read_line_limited".
pub async fn read_line_limited<R>(reader: &mut R, max: usize) -> std::io::Result<Line>
where
    R: AsyncBufRead + Unpin,
{
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

/// Exercise `with_idle_timeout`. **Ticket CAP-2: nothing waits forever.**
///
/// Requirements:
/// * `Ok(output)` when `fut` finishes within `idle`, as soon as it does
///   (a future that is done early does not sit out the rest of the time).
/// * `Err(Idle)` when it has not finished after `idle`; `fut` is then
///   dropped (cancelled): that is what stops the read or write it was doing.
///
/// Limits: while it waits, the thread belongs to everyone else. Other tasks
/// on the same executor must keep running; a wait that holds the thread
/// fails the checks' blocking detector.
///
/// Acceptance: a future that never finishes is given up on and dropped, a
/// future that is quick comes back at once, and another task hands it a
/// value while it waits. Book: "Exercise: with_idle_timeout".
pub async fn with_idle_timeout<F: Future>(idle: Duration, fut: F) -> Result<F::Output, Idle> {
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

/// Exercise `handle_client`. **Ticket CAP-3: serve one client, and let no
/// client hurt the server.**
///
/// Requirements:
/// * A new client first gets [`GREETING`]. Then every request line gets the
///   reply [`respond`] gives, in order; [`Reply::Close`] is sent and then the
///   connection is closed ([`End::Quit`]).
/// * Clients pipeline: 40 requests in one write get 40 replies.
/// * A client that closes its side between requests: [`End::Eof`].
/// * Return why the connection ended ([`End`]); every reply line that was
///   promised (including the last one) reaches the client first.
///
/// Limits (all in `cfg`):
/// * `max_line`: a longer request gets [`too_long`]`(max_line)`, then close,
///   [`End::TooLong`]. A request never costs much more memory than that.
/// * `idle_timeout`: a client silent that long, between requests or in the
///   middle of one, gets [`IDLE`], then close, [`End::Idle`]. The clock
///   starts over with every request: a busy client is never cut.
/// * `queue_len`: at most this many replies wait for one client. While they
///   wait, stop reading its requests (back-pressure). A client that does not
///   read its replies for `idle_timeout` is dropped as [`End::SlowReader`];
///   a client that floods requests and never reads costs little memory.
/// * Every reply is written in full, however slowly the client reads.
/// * Memory: the server will hold 10,000 mostly idle clients. An idle
///   client costs at most 8 KiB of the server's heap, everything included
///   (the checks connect 64 silent clients and count); nothing sized for a
///   busy client is kept for an idle one.
///
/// Shutdown (`shutdown` fires): a client between requests gets
/// [`SHUTTING_DOWN`] at once and is closed ([`End::Shutdown`]); a request
/// that had already begun is read to its end and answered first, then
/// [`SHUTTING_DOWN`].
///
/// Failure behaviour: an I/O error (a reset, a broken pipe) ends this client
/// as `Err`, and the error says which client (its address) it was. Never a
/// panic, and nothing of this client keeps running after it returns.
///
/// Acceptance: the checks run it behind an accept loop of their own, one
/// task per client, and abuse it in every way listed above; after each abuse
/// a fresh client must be served. Book: "Exercise: handle_client" and
/// "Common mistakes".
pub async fn handle_client(stream: TcpStream, cfg: &Config, shutdown: &Shutdown) -> Result<End> {
    todo!()
}

// Your helper types and functions for handle_client, if you want any.

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

/// Exercise `serve`. **Ticket CAP-4: the front door.**
///
/// Requirements:
/// * Accept clients on `listener` and serve each with [`handle_client`], on
///   the executor `ex`: every client is served at the same time as the
///   others, and a slow client never delays the next one's greeting.
/// * Keep `stats` true: [`Stats::accepted`] for every connection,
///   [`Stats::refused`] for every refusal, [`Stats::enter`] for as long as a
///   client is being served, and [`Stats::ended`] with how each one ended.
///
/// Limits: at most `cfg.max_connections` clients served at once. The next
/// one gets the line [`BUSY`] and is closed right away; it never waits for a
/// seat. A seat is free again as soon as its client has gone.
///
/// Failure behaviour: one client's error or abuse is that client's problem;
/// the server keeps serving. A failed `accept` is logged and retried, not
/// fatal (and not a busy loop).
///
/// Shutdown (`shutdown` fires): stop accepting at once (new connections are
/// refused by the system), let every client that is being served finish
/// (they get their `BYE` from [`handle_client`]), and only then return
/// `Ok(())`.
///
/// Acceptance: a limit of 3 with 5 clients, clients that abuse the server,
/// and a shutdown while one client is in the middle of a request. Book:
/// "Exercise: serve".
pub async fn serve(
    ex: &Executor<'_>,
    listener: TcpListener,
    cfg: Config,
    stats: Arc<Stats>,
    shutdown: Shutdown,
) -> Result<()> {
    todo!()
}
