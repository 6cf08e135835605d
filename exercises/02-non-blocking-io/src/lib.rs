//! Lesson 02 — non-blocking calls and readiness.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. Read the
//! chapter book/src/02-non-blocking-io.md first; `cargo workshop hint 2`
//! gives one hint at a time when you are stuck.
#![allow(unused_variables, unused_imports, unused_mut)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use async_io::Async;
use smol::LocalExecutor;

/// Exercise `drain_available`: return every byte that has already arrived on
/// `stream`, without waiting for more. An empty Vec means nothing was there.
///
/// The lesson's new tool is `TcpStream::set_nonblocking`: after it, a read
/// that would have to wait fails with `ErrorKind::WouldBlock` instead.
///
/// * Never waits: with the peer connected and silent, it returns at once.
/// * "Nothing more right now" is not an error; a closed peer is not one
///   either (return what came before the close); other errors are.
/// * Gets *everything* that is there: the checks queue far more than any
///   one read buffer (and more than the receive buffer: the rest follows
///   from the peer's send buffer as you read), so one read is never enough.
///
/// Read: "Demo: WouldBlock, and the spinning trap" and "Exercise:
/// drain_available" in the chapter.
pub fn drain_available(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    todo!()
}

/// Exercise `read_exact_async`: read exactly `n` bytes, waiting for
/// readiness in between instead of spinning. Fails with `UnexpectedEof` if
/// the peer closes first.
///
/// The lesson's new tool is `Async<T>`: its `read_with` (or `readable()`)
/// waits until the reactor says the socket is readable.
///
/// * The bytes may arrive in several pieces; bytes after the first `n`
///   belong to the next reader and must stay in the socket.
/// * With no data, a poll returns `Pending` without waking itself (no
///   spinning); when data arrives the reactor wakes the future.
///
/// Read: "Demo: readiness with `Async`" and "Exercise: read_exact_async".
pub async fn read_exact_async(stream: &Async<TcpStream>, n: usize) -> io::Result<Vec<u8>> {
    todo!()
}

/// Exercise `echo`: send back every byte received until the peer closes its
/// side; return how many bytes were echoed.
///
/// A write may take only part of what you offer (it says how much): the
/// checks echo 160,000 bytes through tiny socket buffers, so every byte must
/// still come back, in order. Read: "Exercise: echo".
pub async fn echo(stream: Async<TcpStream>) -> io::Result<u64> {
    todo!()
}

/// Exercise `echo_clients`: accept `clients` connections and echo each one
/// (with [`echo`]) until it closes, all at the same time, on the current
/// thread. Returns the bytes echoed in total.
///
/// You may use `smol::LocalExecutor` (lesson 01); no threads of your own.
/// The checks connect five clients that each stay connected until all five
/// have their echo, so a server that serves one client at a time never
/// finishes. Read: "Exercise: echo_clients".
pub async fn echo_clients(listener: &Async<TcpListener>, clients: usize) -> io::Result<u64> {
    todo!()
}
