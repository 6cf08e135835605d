//! Lesson 14 — capstone: a production-shaped server.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/14-capstone (`cargo workshop generate`). Both crates are
//! checked by `tests/14-capstone.rs`.
// solution:end
//~ //! The capstone. Four tickets, one server: each `todo!()` below is a
//~ //! ticket with its requirements, limits and failure behaviour; the how is
//~ //! yours. The rest is given, in the lesson crate
//~ //! (lessons/14-capstone/src/given.rs): the protocol (`respond`), `Config`,
//~ //! `Shutdown`, `Stats`, `End`. Run `cargo test` in this folder;
//~ //! book/src/14-capstone.md is the chapter, and `cargo workshop hint 14`
//~ //! helps when you are stuck.
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
//~ #![allow(unused_variables, unused_imports, dead_code)]

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

// ANCHOR: read_line_limited
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
    // ANCHOR: learn-read_line_limited
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
    // ANCHOR_END: learn-read_line_limited
}
// ANCHOR_END: read_line_limited

// ----------------------------------------------- exercise: idle timeout

// ANCHOR: with_idle_timeout
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
    // ANCHOR: learn-with_idle_timeout
    // Whichever finishes first wins; `or` drops the loser. The timer is a
    // future too, so the thread is free while both wait.
    future::or(async { Ok(fut.await) }, async {
        Timer::after(idle).await;
        Err(Idle)
    })
    .await
    // ANCHOR_END: learn-with_idle_timeout
}
// ANCHOR_END: with_idle_timeout

// -------------------------------------------------- exercise: handle_client

// ANCHOR: handle_client
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
    // ANCHOR: learn-handle_client
    let peer = stream.peer_addr().context("reading the client's address")?;
    // The bounded queue between the two halves: at most queue_len replies
    // wait for this client, whatever it does.
    let (tx, rx) = async_channel::bounded(cfg.queue_len.max(1));
    // A small read buffer: most requests fit in 256 bytes, longer ones are
    // read through it, and an idle client keeps only these 256 bytes (the
    // default, 8 KiB, would be most of what an idle client costs).
    let reader = read_requests(
        BufReader::with_capacity(256, stream.clone()),
        tx,
        cfg,
        shutdown,
    );
    let writer = write_replies(stream, rx, cfg.idle_timeout);
    // Both halves run at once. The reader decides when to stop and drops
    // the sender, then the writer sends what is left and finishes. try_zip
    // stops at the first error of either half.
    match future::try_zip(reader, writer).await {
        Ok((end, ())) => Ok(end),
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(e) => Err(e.context(format!("serving {peer}"))),
    }
    // ANCHOR_END: learn-handle_client
}

// ANCHOR: learn-handle_client-read
//~ // Your helper types and functions for handle_client, if you want any.
// ANCHOR: helpers-read
/// What [`handle_client`] waits for between two requests.
enum Next {
    Request,
    Closed,
    Shutdown,
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
                let waiting = "waiting for a request";
                let buffered = reader.fill_buf().await.context(waiting)?;
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
// ANCHOR_END: helpers-read

// ANCHOR_END: learn-handle_client-read

// ANCHOR: learn-handle_client-queue
//~
// ANCHOR: helpers-queue
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
// ANCHOR_END: helpers-queue

// ANCHOR_END: learn-handle_client-queue

// ANCHOR: learn-handle_client-write
//~
// ANCHOR: helpers-write
/// The writing half: sends queued replies until the reader drops its sender.
async fn write_replies(
    mut stream: TcpStream,
    rx: Receiver<Vec<u8>>,
    idle_timeout: Duration,
) -> Result<()> {
    while let Ok(reply) = rx.recv().await {
        match with_idle_timeout(idle_timeout, stream.write_all(&reply)).await {
            Err(Idle) => return Err(SlowReader.into()),
            Ok(res) => res.context("writing a reply")?,
        }
    }
    stream.flush().await.context("flushing the last replies")?;
    Ok(())
}
// ANCHOR_END: helpers-write
// ANCHOR_END: learn-handle_client-write
// ANCHOR_END: handle_client

// ------------------------------------------------------------ exercise: serve

// ANCHOR: serve
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
    // ANCHOR: learn-serve
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
            let write = stream.write_all(refusal.as_bytes());
            let _ = with_idle_timeout(Duration::from_secs(1), write).await;
            continue;
        };
        let (cfg, stats) = (cfg.clone(), stats.clone());
        let shutdown = shutdown.clone();
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
    // ANCHOR_END: learn-serve
}
// ANCHOR_END: serve
