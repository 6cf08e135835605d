//! Lesson 02 — non-blocking calls and readiness.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/02-non-blocking-io.md; `cargo workshop hint 2` gives a
//! hint when you are stuck.
#![allow(unused_variables, unused_imports, unused_mut)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use async_io::Async;
use smol::LocalExecutor;

/// Exercise `drain_available`: return every byte that has already arrived on
/// `stream`, without waiting for more. An empty Vec means nothing was there.
pub fn drain_available(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    // TODO: call `stream.set_nonblocking(true)?`, then `read` into a buffer
    // in a loop, appending what you get:
    //   Ok(0)                         -> the peer closed: stop
    //   Ok(n)                         -> keep &buf[..n], read again
    //   Err(e) if kind == WouldBlock  -> nothing more right now: stop (not an error!)
    //   Err(e) if kind == Interrupted -> try again
    //   Err(e)                        -> return the error
    // and return everything you collected.
    todo!()
}

/// Exercise `read_exact_async`: read exactly `n` bytes, waiting for
/// readiness in between instead of spinning. Fails with `UnexpectedEof` if
/// the peer closes first.
pub async fn read_exact_async(stream: &Async<TcpStream>, n: usize) -> io::Result<Vec<u8>> {
    // TODO: keep a `vec![0u8; n]` and a count of bytes filled. While it is
    // not full, `stream.read_with(|s| (&*s).read(&mut out[filled..])).await?`
    // (read_with waits for readiness whenever the read would block). If a
    // read returns 0, return an `io::ErrorKind::UnexpectedEof` error. Never
    // read more than the n bytes asked for.
    todo!()
}

/// Exercise `echo`: send back every byte received until the peer closes its
/// side; return how many bytes were echoed.
pub async fn echo(stream: Async<TcpStream>) -> io::Result<u64> {
    // TODO: loop: read a chunk with `stream.read_with(..)`; on 0 return the
    // total. Otherwise write the chunk back with `stream.write_with(|s|
    // (&*s).write(&buf[sent..n]))`, looping until all n bytes are sent (one
    // write may take only part of it), and add n to the total.
    todo!()
}

/// Exercise `echo_clients`: accept `clients` connections and echo each one
/// (with [`echo`]) until it closes, all at the same time, on the current
/// thread. Returns the bytes echoed in total.
pub async fn echo_clients(listener: &Async<TcpListener>, clients: usize) -> io::Result<u64> {
    // TODO: make a `LocalExecutor` and return `ex.run(async { ... }).await`.
    // Inside: accept `clients` times (`listener.accept().await?`) and for each
    // stream `ex.spawn(echo(stream))`, keeping the tasks. Then await every
    // task and add up the bytes. Awaiting echo(stream) right after accept
    // would serve one client at a time.
    todo!()
}
