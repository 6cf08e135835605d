//! Lesson 09 — a chat server: one broker task, a reader and a writer per
//! client, and a bounded queue per client so that a slow client cannot stall
//! the others.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/09-chat-server.md; `cargo workshop hint 9` gives a
//! hint when you are stuck. Do the exercises in order: deliver, broker,
//! write_lines, handle_client, serve — each one uses the ones before.
//!
//! The wire protocol is lines of text. A client's first line is its name;
//! every later line is a message. What a client receives:
//!
//! * `NAME: TEXT` — a message from another client (never its own);
//! * `* NAME joined` / `* NAME left` — announcements about other clients.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::collections::HashMap;
use std::io;

use async_channel::{Receiver, Sender, TrySendError};
use futures_lite::io::BufReader;
use futures_lite::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, StreamExt};
use smol::net::TcpListener;

/// Every client gets a number from the accept loop.
pub type ClientId = u64;

/// How many lines may wait in one client's queue (its *outbox*) before the
/// broker drops new lines for that client.
pub const OUTBOX_CAPACITY: usize = 64;

/// How many events may wait in the broker's inbox. When it is full, the
/// readers wait: a client that floods the server slows down only itself.
pub const INBOX_CAPACITY: usize = 256;

/// What a connection tells the broker.
#[derive(Debug)]
pub enum Event {
    /// A client said its name. `outbox` is the sending half of the client's
    /// bounded queue; the client's writer task holds the receiving half.
    Join {
        id: ClientId,
        name: String,
        outbox: Sender<String>,
    },
    /// A client sent one line.
    Message { id: ClientId, line: String },
    /// A client is gone: it closed the connection, or reading from it failed.
    Leave { id: ClientId },
}

/// What [`deliver`] did with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The line is in the client's queue.
    Queued,
    /// The client's queue was full: this line was dropped for this client.
    Dropped,
    /// The client's writer is gone (its receiver was dropped); its Leave is
    /// on the way.
    Gone,
}

/// Exercise `deliver`: put one line into one client's queue *without ever
/// waiting*. The full-queue policy: a client whose queue is full misses this
/// line; nobody else notices.
pub fn deliver(outbox: &Sender<String>, line: &str) -> Delivery {
    // TODO: call `outbox.try_send(line.to_string())` (never `send(..).await`
    // or `send_blocking`: they wait for room) and map the result:
    // Ok(()) -> Delivery::Queued, Err(TrySendError::Full(_)) ->
    // Delivery::Dropped (the queue keeps its older lines; this new line is
    // dropped for this client), Err(TrySendError::Closed(_)) -> Delivery::Gone.
    todo!()
}

/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Exercise `broker`: the one task that owns the map of clients. It handles
/// the events in the order they arrive and returns how many clients were
/// still connected when every sender of `events` is gone.
pub async fn broker(events: Receiver<Event>) -> usize {
    // TODO: keep a HashMap<ClientId, Client> and loop with
    // `while let Ok(event) = events.recv().await`. Join: tell every client
    // already there `* NAME joined`, then insert the new one. Message: if the
    // sender is in the map, send `NAME: LINE` to every client except the
    // sender. Leave: if the client is in the map, remove it (that drops its
    // Sender) and tell the others `* NAME left`. Ignore ids you do not know.
    // Send with `deliver` only (it never waits) and carry on whatever it
    // returns. After the loop, return `clients.len()`.
    todo!()
}

/// Exercise `write_lines`: the writer task of one client. Writes every line
/// from the client's queue, followed by `\n`, as soon as it arrives. Returns
/// `Ok(())` when the queue is closed and empty, and the first write error.
pub async fn write_lines<W>(outbox: Receiver<String>, mut out: W) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    // TODO: loop with `while let Ok(line) = outbox.recv().await`; write the
    // line and a `\n` with `out.write_all(..).await?`, then
    // `out.flush().await?`. Return the first write error with `?`, and
    // Ok(()) once recv() fails (the queue is closed and empty).
    todo!()
}

/// Exercise `handle_client`: one connection. Reads the name, sends `Join`
/// with a new bounded queue, starts the writer task, sends one `Message` per
/// line, and sends `Leave` when the client is gone — at end of file *and*
/// when reading fails. Returns the read error, if there was one.
pub async fn handle_client<R, W>(
    id: ClientId,
    reader: R,
    writer: W,
    events: Sender<Event>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    // TODO: wrap `reader` in a BufReader and take `.lines()`. The first line
    // is the name (EOF before it: return Ok(()), no Join). Then make the
    // queue with `async_channel::bounded(OUTBOX_CAPACITY)`, spawn the writer
    // task `smol::spawn(write_lines(queue, writer))` and send
    // `Event::Join { id, name, outbox }`. Send one Event::Message per line.
    // When the lines end (None) OR a read fails (Some(Err(e))), send
    // `Event::Leave { id }` — no `?` on the read before that — then await
    // the writer task and return the read result.
    todo!()
}

/// Exercise `serve`: the accept loop. Starts the broker, then gives every
/// connection an id and a task of its own. Runs until accepting fails.
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    // TODO: make the broker's inbox with
    // `async_channel::bounded(INBOX_CAPACITY)` and spawn `broker(inbox)`,
    // keeping its Task alive. Then loop: `listener.accept().await?`, give the
    // stream the next id (1, 2, 3, ...) and spawn a task that runs
    // `handle_client(id, stream.clone(), stream, events.clone())`; detach it.
    todo!()
}
