//! Lesson 02 — non-blocking calls and readiness.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/02-non-blocking-io (`cargo workshop generate`). Both crates are
//! checked by `tests/02-non-blocking-io.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. Read the
//~ //! chapter book/src/02-non-blocking-io.md first; `cargo workshop hint 2`
//~ //! gives one hint at a time when you are stuck.
//~ #![allow(unused_variables, unused_imports, unused_mut)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use async_io::Async;
use smol::LocalExecutor;

// ANCHOR: drain_available
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
    // ANCHOR: learn-drain_available
    // From now on a read that would have to wait returns WouldBlock instead.
    stream.set_nonblocking(true)?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            // The peer closed the connection: nothing more will ever come.
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            // Nothing more *right now*. Not an error: we are done.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(out)
    // ANCHOR_END: learn-drain_available
}
// ANCHOR_END: drain_available

// ANCHOR: read_exact_async
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
    // ANCHOR: learn-read_exact_async
    let mut out = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        // read_with tries the read; on WouldBlock it waits until the reactor
        // says the socket is readable, then tries again.
        let got = stream.read_with(|s| (&*s).read(&mut out[filled..])).await?;
        if got == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the peer closed after {filled} of {n} bytes"),
            ));
        }
        filled += got;
    }
    Ok(out)
    // ANCHOR_END: learn-read_exact_async
}
// ANCHOR_END: read_exact_async

// ANCHOR: echo
/// Exercise `echo`: send back every byte received until the peer closes its
/// side; return how many bytes were echoed.
///
/// A write may take only part of what you offer (it says how much): the
/// checks echo 160,000 bytes through tiny socket buffers, so every byte must
/// still come back, in order. Read: "Exercise: echo".
pub async fn echo(stream: Async<TcpStream>) -> io::Result<u64> {
    // ANCHOR: learn-echo
    let mut buf = [0u8; 4096];
    let mut total = 0;
    loop {
        let n = stream.read_with(|s| (&*s).read(&mut buf)).await?;
        if n == 0 {
            return Ok(total);
        }
        // One write may take only part of the buffer: loop until all of it
        // is out, waiting for writability when the send buffer is full.
        let mut sent = 0;
        while sent < n {
            sent += stream.write_with(|s| (&*s).write(&buf[sent..n])).await?;
        }
        total += n as u64;
    }
    // ANCHOR_END: learn-echo
}
// ANCHOR_END: echo

// ANCHOR: echo_clients
/// Exercise `echo_clients`: accept `clients` connections and echo each one
/// (with [`echo`]) until it closes, all at the same time, on the current
/// thread. Returns the bytes echoed in total.
///
/// You may use `smol::LocalExecutor` (lesson 01); no threads of your own.
/// The checks connect five clients that each stay connected until all five
/// have their echo, so a server that serves one client at a time never
/// finishes. Read: "Exercise: echo_clients".
pub async fn echo_clients(listener: &Async<TcpListener>, clients: usize) -> io::Result<u64> {
    // ANCHOR: learn-echo_clients
    let ex = LocalExecutor::new();
    ex.run(async {
        let mut tasks = Vec::with_capacity(clients);
        for _ in 0..clients {
            let (stream, _) = listener.accept().await?;
            // A task per client: the next accept does not wait for this echo.
            tasks.push(ex.spawn(echo(stream)));
        }
        let mut total = 0;
        for task in tasks {
            total += task.await?;
        }
        Ok(total)
    })
    .await
    // ANCHOR_END: learn-echo_clients
}
// ANCHOR_END: echo_clients
