//! Lesson 09 gives this: the types and limits the exercises share
//! ([`Event`], [`Delivery`], [`ClientId`], the queue sizes; the exercise
//! re-exports them), and for the demos a small chat server whose broker can
//! fan out in two ways (wait for room, or never wait), and a scripted chat
//! client.
//!
//! The exercises build the same server piece by piece; this one exists so
//! the demos can show the difference the fan-out policy makes.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_channel::{Receiver, Sender};
use futures_lite::io::BufReader;
use futures_lite::{AsyncBufReadExt, AsyncWriteExt, FutureExt, StreamExt};
use smol::net::{TcpListener, TcpStream};

mod given;
pub use given::{ClientId, Delivery, Event, INBOX_CAPACITY, OUTBOX_CAPACITY};

/// How the broker puts a line into a client's bounded queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// `send(..).await`: wait until the client's queue has room.
    AwaitSend,
    /// `try_send(..)`: never wait; a full queue loses this line.
    TrySend,
}

/// What the demos count.
#[derive(Default, Debug)]
pub struct Stats {
    /// Lines the broker dropped because a client's queue was full.
    pub dropped: AtomicUsize,
}

// ANCHOR: fan_out
/// Sends `line` to every client but `from`, with the chosen policy.
async fn fan_out(
    clients: &HashMap<u64, (String, Sender<String>)>,
    from: u64,
    line: &str,
    policy: Policy,
    stats: &Stats,
) {
    for (&id, (_name, outbox)) in clients {
        if id == from {
            continue;
        }
        match policy {
            // Waits while this client's queue is full: everybody after it
            // in the loop, and every later event, waits too.
            Policy::AwaitSend => {
                let _ = outbox.send(line.to_string()).await;
            }
            // Never waits: a full queue costs that one client this line.
            Policy::TrySend => {
                if outbox.try_send(line.to_string()).is_err() {
                    stats.dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}
// ANCHOR_END: fan_out

async fn broker(events: Receiver<Event>, policy: Policy, stats: Arc<Stats>) {
    let mut clients = HashMap::new();
    while let Ok(event) = events.recv().await {
        match event {
            Event::Join { id, name, outbox } => {
                fan_out(&clients, id, &format!("* {name} joined"), policy, &stats).await;
                clients.insert(id, (name, outbox));
            }
            Event::Message { id, line } => {
                if let Some((name, _)) = clients.get(&id) {
                    let line = format!("{name}: {line}");
                    fan_out(&clients, id, &line, policy, &stats).await;
                }
            }
            Event::Leave { id } => {
                if let Some((name, _)) = clients.remove(&id) {
                    fan_out(&clients, id, &format!("* {name} left"), policy, &stats).await;
                }
            }
        }
    }
}

async fn connection(id: ClientId, stream: TcpStream, events: Sender<Event>) {
    let mut lines = BufReader::new(stream.clone()).lines();
    let Some(Ok(name)) = lines.next().await else {
        return;
    };
    let (outbox, queue) = async_channel::bounded::<String>(OUTBOX_CAPACITY);
    let mut out = stream;
    let writer = smol::spawn(async move {
        while let Ok(line) = queue.recv().await {
            out.write_all(format!("{line}\n").as_bytes()).await?;
        }
        io::Result::Ok(())
    });
    let _ = events.send(Event::Join { id, name, outbox }).await;
    // End of file and read errors alike end the loop: Leave is always sent.
    while let Some(Ok(line)) = lines.next().await {
        let _ = events.send(Event::Message { id, line }).await;
    }
    let _ = events.send(Event::Leave { id }).await;
    let _ = writer.await;
}

/// Starts a chat server on 127.0.0.1:0 as a task; returns its address and
/// the task (drop it to stop the server).
pub async fn start_server(policy: Policy, stats: Arc<Stats>) -> (SocketAddr, smol::Task<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let task = smol::spawn(async move {
        let (events, inbox) = async_channel::bounded(INBOX_CAPACITY);
        let _broker = smol::spawn(broker(inbox, policy, stats));
        let mut next = 0;
        while let Ok((stream, _)) = listener.accept().await {
            next += 1;
            smol::spawn(connection(next, stream, events.clone())).detach();
        }
    });
    (addr, task)
}

/// A scripted chat client.
pub struct Client {
    pub name: String,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    /// Connects and says its name.
    pub async fn join(addr: SocketAddr, name: &str) -> io::Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        let mut c = Client {
            name: name.to_string(),
            reader: BufReader::new(stream.clone()),
            writer: stream,
        };
        c.say(name).await?;
        Ok(c)
    }

    /// Sends one line.
    pub async fn say(&mut self, line: &str) -> io::Result<()> {
        self.writer.write_all(format!("{line}\n").as_bytes()).await
    }

    /// The next line, or `None` when none arrives within `patience` (the
    /// demos never wait forever).
    pub async fn hear(&mut self, patience: Duration) -> Option<String> {
        let mut line = String::new();
        let read = async { self.reader.read_line(&mut line).await.ok() };
        let gave_up = async {
            smol::Timer::after(patience).await;
            None
        };
        match read.or(gave_up).await {
            Some(n) if n > 0 => Some(line.trim_end().to_string()),
            _ => None,
        }
    }
}
