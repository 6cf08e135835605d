//! Lesson 09 — a chat server: one broker task, a reader and a writer per
//! client, and a bounded queue per client so that a slow client cannot stall
//! the others.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/09-chat-server.rs`.
//!
//! The wire protocol is lines of text. A client's first line is its name;
//! every later line is a message. What a client receives:
//!
//! * `NAME: TEXT` — a message from another client (never its own);
//! * `* NAME joined` / `* NAME left` — announcements about other clients.

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

// ANCHOR: event
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
// ANCHOR_END: event

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

// ANCHOR: deliver
/// Exercise `deliver`: put one line into one client's queue *without ever
/// waiting*. The full-queue policy: a client whose queue is full misses this
/// line; nobody else notices.
pub fn deliver(outbox: &Sender<String>, line: &str) -> Delivery {
    match outbox.try_send(line.to_string()) {
        Ok(()) => Delivery::Queued,
        // Waiting for room here would make every other client wait for
        // the slowest one. Drop the line for this client instead.
        Err(TrySendError::Full(_)) => Delivery::Dropped,
        // The writer has stopped; the reader will send Leave soon.
        Err(TrySendError::Closed(_)) => Delivery::Gone,
    }
}
// ANCHOR_END: deliver

// ANCHOR: broker
/// One connected client, as the broker sees it.
struct Client {
    name: String,
    outbox: Sender<String>,
}

/// Exercise `broker`: the one task that owns the map of clients. It handles
/// the events in the order they arrive and returns how many clients were
/// still connected when every sender of `events` is gone.
pub async fn broker(events: Receiver<Event>) -> usize {
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
// ANCHOR_END: broker

// ANCHOR: write_lines
/// Exercise `write_lines`: the writer task of one client. Writes every line
/// from the client's queue, followed by `\n`, as soon as it arrives. Returns
/// `Ok(())` when the queue is closed and empty, and the first write error.
pub async fn write_lines<W>(outbox: Receiver<String>, mut out: W) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    while let Ok(line) = outbox.recv().await {
        let mut bytes = line.into_bytes();
        bytes.push(b'\n');
        out.write_all(&bytes).await?;
        out.flush().await?;
    }
    Ok(())
}
// ANCHOR_END: write_lines

// ANCHOR: handle_client
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
}
// ANCHOR_END: handle_client

// ANCHOR: serve
/// Exercise `serve`: the accept loop. Starts the broker, then gives every
/// connection an id and a task of its own. Runs until accepting fails.
pub async fn serve(listener: TcpListener) -> io::Result<()> {
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
}
// ANCHOR_END: serve
