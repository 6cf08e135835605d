//! Lesson 14 — capstone: a production-shaped server.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/14-capstone.rs`.
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
            queue_len: 32,
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

// ANCHOR: read_line_limited
/// Exercise `read_line_limited`: reads one line of at most `max` bytes (not
/// counting the `\n`), and never takes more than `max + 1` bytes out of
/// `reader`, however long the line is.
pub async fn read_line_limited<R>(reader: &mut R, max: usize) -> std::io::Result<Line>
where
    R: AsyncBufRead + Unpin,
{
    let mut buf = Vec::new();
    // `take` makes the reader end after max + 1 bytes: enough to see the
    // `\n` of a line of exactly `max` bytes, and to know a longer one is
    // too long. `read_until` alone would buffer a 10 GB "line".
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    (&mut *reader)
        .take(limit)
        .read_until(b'\n', &mut buf)
        .await?;
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok(Line::Text(buf));
    }
    Ok(match buf.len() {
        0 => Line::Eof,
        n if n > max => Line::TooLong,
        _ => Line::Text(buf), // the stream ended without a final `\n`
    })
}
// ANCHOR_END: read_line_limited

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

// ANCHOR: with_idle_timeout
/// Exercise `with_idle_timeout`: `Ok(output)` when `fut` finishes within
/// `idle`, `Err(Idle)` (and `fut` dropped, that is cancelled) when it does
/// not.
pub async fn with_idle_timeout<F: Future>(idle: Duration, fut: F) -> Result<F::Output, Idle> {
    // Whichever finishes first wins; `or` drops the loser. The timer is a
    // future too, so the thread is free while both wait.
    future::or(async { Ok(fut.await) }, async {
        Timer::after(idle).await;
        Err(Idle)
    })
    .await
}
// ANCHOR_END: with_idle_timeout

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

/// What [`handle_client`] waits for between two requests.
enum Next {
    Request,
    Closed,
    Shutdown,
}

// ANCHOR: handle_client
/// Exercise `handle_client`: serves one client until it quits, closes, sends
/// a line that is too long, stays idle, stops reading, or the server shuts
/// down. Returns why it ended; an I/O error comes back as `Err` with the
/// client's address in its context.
pub async fn handle_client(stream: TcpStream, cfg: &Config, shutdown: &Shutdown) -> Result<End> {
    let peer = stream.peer_addr().context("reading the client's address")?;
    // The bounded queue between the two halves: at most queue_len replies
    // wait for this client, whatever it does.
    let (tx, rx) = async_channel::bounded(cfg.queue_len.max(1));
    let reader = read_requests(BufReader::new(stream.clone()), tx, cfg, shutdown);
    let writer = write_replies(stream, rx, cfg.idle_timeout);
    // Both halves run at once. The reader decides when to stop and drops
    // the sender, then the writer sends what is left and finishes. try_zip
    // stops at the first error of either half.
    match future::try_zip(reader, writer).await {
        Ok((end, ())) => Ok(end),
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(e) => Err(e.context(format!("serving {peer}"))),
    }
}

/// The reading half: one request at a time, one reply queued per request.
async fn read_requests(
    mut reader: BufReader<TcpStream>,
    tx: Sender<Vec<u8>>,
    cfg: &Config,
    shutdown: &Shutdown,
) -> Result<End> {
    queue(&tx, GREETING, cfg).await?;
    loop {
        // Between requests: wait for the first byte of the next one, for
        // the shutdown signal, or for the idle timeout, whichever is first.
        let next = future::or(
            async {
                let buffered = reader.fill_buf().await.context("waiting for a request")?;
                Ok(if buffered.is_empty() {
                    Next::Closed
                } else {
                    Next::Request
                })
            },
            async {
                shutdown.wait().await;
                Ok(Next::Shutdown)
            },
        );
        match with_idle_timeout(cfg.idle_timeout, next).await {
            Err(Idle) => {
                queue(&tx, IDLE, cfg).await?;
                return Ok(End::Idle);
            }
            Ok(Err(e)) => return Err(e),
            Ok(Ok(Next::Closed)) => return Ok(End::Eof),
            Ok(Ok(Next::Shutdown)) => {
                queue(&tx, SHUTTING_DOWN, cfg).await?;
                return Ok(End::Shutdown);
            }
            Ok(Ok(Next::Request)) => {}
        }
        // A request has begun: finish reading it even if the server is
        // shutting down (that is the "drain"), but not forever.
        let line = with_idle_timeout(
            cfg.idle_timeout,
            read_line_limited(&mut reader, cfg.max_line),
        )
        .await;
        let line = match line {
            Err(Idle) => {
                queue(&tx, IDLE, cfg).await?;
                return Ok(End::Idle);
            }
            Ok(line) => line.context("reading a request")?,
        };
        match line {
            Line::Eof => return Ok(End::Eof),
            Line::TooLong => {
                queue(&tx, &too_long(cfg.max_line), cfg).await?;
                return Ok(End::TooLong);
            }
            Line::Text(request) => match respond(&request) {
                Reply::Line(reply) => queue(&tx, &reply, cfg).await?,
                Reply::Close(reply) => {
                    queue(&tx, &reply, cfg).await?;
                    return Ok(End::Quit);
                }
            },
        }
    }
}

/// Puts one reply line in the client's queue. When the queue is full the
/// reader waits (so it stops reading this client's requests: back-pressure),
/// but at most `idle_timeout`: a client that never reads is a slow reader.
async fn queue(tx: &Sender<Vec<u8>>, line: &str, cfg: &Config) -> Result<()> {
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    match with_idle_timeout(cfg.idle_timeout, tx.send(bytes)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_closed)) => Err(anyhow!("the writing half stopped")),
        Err(Idle) => Err(SlowReader.into()),
    }
}

/// The writing half: sends queued replies until the reader drops its sender.
async fn write_replies(mut stream: TcpStream, rx: Receiver<Vec<u8>>, idle: Duration) -> Result<()> {
    while let Ok(reply) = rx.recv().await {
        match with_idle_timeout(idle, stream.write_all(&reply)).await {
            Err(Idle) => return Err(SlowReader.into()),
            Ok(res) => res.context("writing a reply")?,
        }
    }
    stream.flush().await.context("flushing the last replies")?;
    Ok(())
}
// ANCHOR_END: handle_client

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

// ANCHOR: serve
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
    let cfg = Arc::new(cfg);
    let limit = Arc::new(Semaphore::new(cfg.max_connections));
    loop {
        // Shutdown first: once it is triggered, no more clients come in,
        // even when some are still waiting in the listener's backlog.
        let accepted = future::or(
            async {
                shutdown.wait().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = accepted else { break };
        let mut stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                // Out of file descriptors, say. Do not spin: breathe, retry.
                eprintln!("accept failed: {e}");
                Timer::after(Duration::from_millis(10)).await;
                continue;
            }
        };
        stats.accepted();
        // The permit is the client's seat. It must live exactly as long as
        // the client is served, so it moves into the task.
        let Some(permit) = limit.try_acquire_arc() else {
            stats.refused();
            // A fresh socket's buffer is empty, so this does not wait; the
            // timer makes sure of it. Then the stream is dropped: closed.
            let refusal = format!("{BUSY}\n");
            let _ = with_idle_timeout(Duration::from_secs(1), stream.write_all(refusal.as_bytes()))
                .await;
            continue;
        };
        let (cfg, stats, shutdown) = (cfg.clone(), stats.clone(), shutdown.clone());
        ex.spawn(async move {
            let _seat = permit;
            let _active = stats.enter();
            let end = handle_client(stream, &cfg, &shutdown).await;
            stats.ended(&end);
        })
        .detach();
    }
    // Stop accepting: a closed listener refuses new connections.
    drop(listener);
    // Drain: every client holds a permit until its task is done, so once
    // all the permits are back, every client has been served to the end.
    let mut seats = Vec::with_capacity(cfg.max_connections);
    for _ in 0..cfg.max_connections {
        seats.push(limit.acquire_arc().await);
    }
    Ok(())
}
// ANCHOR_END: serve
