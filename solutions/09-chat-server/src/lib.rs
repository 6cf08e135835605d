//! Lesson 09 — a chat server: one broker task, a reader and a writer per
//! client, and a bounded queue per client so that a slow client cannot stall
//! the others.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/09-chat-server (`cargo workshop generate`). Both crates are
//! checked by `tests/09-chat-server.rs`.
//!
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. The book
//~ //! chapter is book/src/09-chat-server.md; `cargo workshop hint 9` gives
//~ //! one hint at a time when you are stuck. Do the exercises in order:
//~ //! deliver, broker, write_lines, handle_client, serve: each one uses the
//~ //! ones before.
//~ //!
//~ //! Crates you may use: smol (smol::net, smol::spawn), async-channel and
//~ //! futures-lite.
//~ //!
//! The wire protocol is lines of text. A client's first line is its name;
//! every later line is a message. What a client receives:
//!
//! * `NAME: TEXT` — a message from another client (never its own);
//! * `* NAME joined` / `* NAME left` — announcements about other clients.
//~ #![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::collections::HashMap;
use std::io;

use async_channel::{Receiver, Sender, TrySendError};
use futures_lite::io::BufReader;
use futures_lite::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, StreamExt};
use smol::net::TcpListener;

// GIVEN: the client id, the queue sizes, the broker's events and what a
// delivery did, from the lesson crate (lessons/09-chat-server/src/given.rs).
pub use lesson09_chat_server::{ClientId, Delivery, Event, INBOX_CAPACITY, OUTBOX_CAPACITY};

// ANCHOR: deliver
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
    // ANCHOR: learn-deliver
    match outbox.try_send(line.to_string()) {
        Ok(()) => Delivery::Queued,
        // Waiting for room here would make every other client wait for
        // the slowest one. Drop the line for this client instead.
        Err(TrySendError::Full(_)) => Delivery::Dropped,
        // The writer has stopped; the reader will send Leave soon.
        Err(TrySendError::Closed(_)) => Delivery::Gone,
    }
    // ANCHOR_END: learn-deliver
}
// ANCHOR_END: deliver

// ANCHOR: broker
// ANCHOR: learn-broker-helpers
//~ // Your helper types and functions for the broker here (what it keeps per
//~ // client, a fan-out helper...).
// ANCHOR: broker-helpers
/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Sends `line` to every client except `from`, never waiting.
fn broadcast(clients: &HashMap<ClientId, Client>, from: ClientId, line: &str) {
    for (&id, client) in clients {
        if id != from {
            // Dropped or Gone concern that one client only: carry on.
            deliver(&client.outbox, line);
        }
    }
}
// ANCHOR_END: broker-helpers
// ANCHOR_END: learn-broker-helpers

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
    // ANCHOR: learn-broker
    let mut clients: HashMap<ClientId, Client> = HashMap::new();
    // recv() fails only when the channel is closed and empty.
    while let Ok(event) = events.recv().await {
        match event {
            Event::Join { id, name, outbox } => {
                broadcast(&clients, id, &format!("* {name} joined"));
                clients.insert(id, Client { name, outbox });
            }
            Event::Message { id, line } => {
                // A message from a client that already left is ignored.
                if let Some(from) = clients.get(&id) {
                    broadcast(&clients, id, &format!("{}: {line}", from.name));
                }
            }
            Event::Leave { id } => {
                // Removing the client drops its Sender: its writer sees the
                // queue close, and no line is ever sent to it again.
                if let Some(gone) = clients.remove(&id) {
                    broadcast(&clients, id, &format!("* {} left", gone.name));
                }
            }
        }
    }
    clients.len()
    // ANCHOR_END: learn-broker
}
// ANCHOR_END: broker

// ANCHOR: write_lines
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
    // ANCHOR: learn-write_lines
    while let Ok(line) = outbox.recv().await {
        let mut bytes = line.into_bytes();
        bytes.push(b'\n');
        // write_all loops until the socket has taken every byte; a plain
        // write may take only part of them.
        out.write_all(&bytes).await?;
        out.flush().await?;
    }
    Ok(())
    // ANCHOR_END: learn-write_lines
}
// ANCHOR_END: write_lines

// ANCHOR: handle_client
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
    // ANCHOR: learn-handle_client
    let mut lines = BufReader::new(reader).lines();
    let name = match lines.next().await {
        Some(name) => name?, // no Join yet, so no Leave is owed
        None => return Ok(()),
    };

    let (outbox, queue) = async_channel::bounded(OUTBOX_CAPACITY);
    let writer = smol::spawn(write_lines(queue, writer));
    if events.send(Event::Join { id, name, outbox }).await.is_err() {
        return Ok(()); // the broker is gone: the server is shutting down
    }

    // Read until the client is gone, but do not return yet: Leave first.
    let read = loop {
        match lines.next().await {
            Some(Ok(line)) => {
                if events.send(Event::Message { id, line }).await.is_err() {
                    break Ok(());
                }
            }
            Some(Err(e)) => break Err(e), // an abrupt disconnect
            None => break Ok(()),         // end of file: a polite goodbye
        }
    };
    let _ = events.send(Event::Leave { id }).await;

    // The broker drops our Sender on Leave, so the writer drains the queue
    // and ends. Its error, if any, only says the client is gone: the read
    // side already told us that.
    let _ = writer.await;
    read
    // ANCHOR_END: learn-handle_client
}
// ANCHOR_END: handle_client

// ANCHOR: serve
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
    // ANCHOR: learn-serve
    let (events, inbox) = async_channel::bounded(INBOX_CAPACITY);
    // Keep the Task: dropping it would cancel the broker.
    let _broker = smol::spawn(broker(inbox));
    let mut next_id: ClientId = 0;
    loop {
        let (stream, _peer) = listener.accept().await?;
        next_id += 1;
        let (id, events) = (next_id, events.clone());
        // A TcpStream clone is a second handle on the same socket: one for
        // reading, one for the writer task.
        smol::spawn(async move {
            let _ = handle_client(id, stream.clone(), stream, events).await;
        })
        .detach();
    }
    // ANCHOR_END: learn-serve
}
// ANCHOR_END: serve
