//! Lesson 14 — capstone: a production-shaped server.
//!
//! The capstone. Four tickets, one server: each `todo!()` below is a
//! ticket with its requirements, limits and failure behaviour; the how is
//! yours. The rest is given, in the lesson crate
//! (lessons/14-capstone/src/given.rs): the protocol (`respond`), `Config`,
//! `Shutdown`, `Stats`, `End`. Run `cargo test` in this folder;
//! book/src/14-capstone.md is the chapter, and `cargo workshop hint 14`
//! helps when you are stuck.
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
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use async_channel::{Receiver, Sender};
use async_executor::Executor;
use async_lock::Semaphore;
use async_net::{TcpListener, TcpStream};
use futures_lite::future;
use futures_lite::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use smol::Timer;

// GIVEN: the limits, the protocol and the types the exercises work with,
// from the lesson crate (lessons/14-capstone/src/given.rs).
pub use lesson14_capstone::{
    ActiveGuard, BUSY, Config, End, GREETING, IDLE, Idle, Line, Reply, SHUTTING_DOWN, Shutdown,
    SlowReader, Snapshot, Stats, respond, too_long,
};

// --------------------------------------------------- exercise: read_line

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

// -------------------------------------------------- exercise: handle_client

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
