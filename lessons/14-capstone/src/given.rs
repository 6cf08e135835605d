//! Given code of the capstone: the limits ([`Config`]), the protocol
//! ([`respond`] and its lines), and the types the exercises work with
//! ([`Line`], [`Idle`], [`Shutdown`], [`End`], [`SlowReader`], [`Stats`]).
//! The learner does not write these; the solution and the exercise both
//! re-export them from here, and the thread-per-connection baseline
//! ([`crate::serve_threaded`]) uses them too.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Result;
use async_channel::{Receiver, Sender};

// ------------------------------------------------------------------ config

// ANCHOR: config
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
            queue_len: 8,
        }
    }
}
// ANCHOR_END: config

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

// ANCHOR: respond
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
// ANCHOR_END: respond

// ------------------------------------------------- exercise types

/// One request line, as the exercise `read_line_limited` found it.
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

/// The time ran out: the exercise `with_idle_timeout` gave up on the future.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Idle;

impl std::fmt::Display for Idle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("idle timeout")
    }
}

impl std::error::Error for Idle {}

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
/// turned into [`End::SlowReader`] by the exercise `handle_client`.
#[derive(Debug)]
pub struct SlowReader;

impl std::fmt::Display for SlowReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the client does not read its replies")
    }
}

impl std::error::Error for SlowReader {}

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
