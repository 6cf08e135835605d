//! Lesson 09 — a chat server: one broker task, a reader and a writer per
//! client, and a bounded queue per client so that a slow client cannot stall
//! the others.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/09-chat-server.md; `cargo workshop hint 9` gives
//! one hint at a time when you are stuck. Do the exercises in order:
//! deliver, broker, write_lines, handle_client, serve: each one uses the
//! ones before.
//!
//! Crates you may use: smol (smol::net, smol::spawn), async-channel and
//! futures-lite.
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

// GIVEN: the client id, the queue sizes, the broker's events and what a
// delivery did, from the lesson crate (lessons/09-chat-server/src/given.rs).
pub use lesson09_chat_server::{ClientId, Delivery, Event, INBOX_CAPACITY, OUTBOX_CAPACITY};

/// Exercise `deliver`: put one line into one client's queue *without ever
/// waiting*, and say what happened.
///
/// * room in the queue: the line is queued, [`Delivery::Queued`];
/// * the queue is full: this line is lost for this client, the queue keeps
///   its older lines untouched, [`Delivery::Dropped`]. Nobody else notices;
/// * the queue is closed (the client's writer has stopped): not a bug, its
///   `Leave` is on the way, [`Delivery::Gone`]. Never a panic.
///
/// The checks prove that a full queue answers at once (a queue nobody reads
/// would make a waiting `deliver` wait forever) and keeps the old line.
/// Read: "The idea" and "Exercise: deliver" in the chapter.
pub fn deliver(outbox: &Sender<String>, line: &str) -> Delivery {
    todo!()
}

// Your helper types and functions for the broker here (what it keeps per
// client, a fan-out helper...).

/// Exercise `broker`: the one task that owns the set of connected clients.
/// It handles the events one at a time, in the order they arrive, until
/// every sender of `events` is gone, and then returns how many clients were
/// still connected.
///
/// * `Join`: everyone already there hears `* NAME joined`; then the new
///   client is in (it does not hear about itself).
/// * `Message`: every client *except the sender* gets `NAME: LINE`.
/// * `Leave`: the client is out for good (its queue's sender is dropped, so
///   its writer ends), and the others hear `* NAME left`.
/// * An event for an id the broker does not know (a `Message` after its
///   sender left, a second `Leave`) is ignored, without a panic.
///
/// Every line goes out through [`deliver`]. A full or closed queue concerns
/// that one client: every other client still gets the line, whatever order
/// you keep your clients in. A full or closed queue is not a `Leave`.
///
/// The checks use plain channels as clients: one that never reads, dead
/// ones placed first and last, ones that leave; each client's lines must
/// arrive complete and in order. Read: "Exercise: broker".
pub async fn broker(events: Receiver<Event>) -> usize {
    todo!()
}

/// Exercise `write_lines`: the writer task of one client. Writes every line
/// from the client's queue to `out`, followed by `\n`, as soon as it arrives
/// (a chat client waits for each line; do not collect them first).
///
/// Returns `Ok(())` when the queue is closed and empty, and the first write
/// error as it is (a dead client must not keep a writer alive). Every byte
/// of every line reaches `out`, also when the connection takes only a part
/// of what you hand it at a time: the checks write a long line through a
/// socket with tiny buffers and compare every byte. Read: "Exercise:
/// write_lines".
pub async fn write_lines<W>(outbox: Receiver<String>, mut out: W) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    todo!()
}

/// Exercise `handle_client`: one connection, given its read half and its
/// write half.
///
/// * The first line is the client's name. If the stream ends before it,
///   return `Ok(())`: no `Join`, and so no `Leave` is owed.
/// * Then the client gets its own queue of [`OUTBOX_CAPACITY`] lines (never
///   unbounded: a client that stops reading must not grow the server's
///   memory), a writer task running [`write_lines`] on `writer`, and a
///   `Join` with the sending half.
/// * One `Message` per later line, without its line ending.
/// * When the client is gone, `Leave`: at end of file *and* when reading
///   fails (an abrupt disconnect). Then wait for the writer to finish and
///   return the read error, if there was one (not swallowed, not wrapped).
/// * If the broker is gone (sending an event fails), stop quietly.
///
/// The checks script the stream (a polite end, a connection reset, no name
/// at all) and play the broker. Read: "Exercise: handle_client".
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
    todo!()
}

/// Exercise `serve`: the chat server on `listener`. One broker for the whole
/// server, running for as long as `serve` does; every accepted connection
/// gets the next id (1, 2, 3, ...) and a task of its own running
/// [`handle_client`], so clients are served at the same time. Runs until
/// accepting fails, and returns that error.
///
/// The checks are end to end, over loopback sockets: announcements and
/// lines arrive in order, a client that never reads does not stall the
/// others, and an abrupt disconnect is announced while the chat goes on.
/// Read: "Exercise: serve".
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    todo!()
}
