//! Lesson 02 — non-blocking calls and readiness.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/02-non-blocking-io.rs`.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use async_io::Async;
use smol::LocalExecutor;

// ANCHOR: drain_available
/// Exercise `drain_available`: return every byte that has already arrived on
/// `stream`, without waiting for more. An empty Vec means nothing was there.
pub fn drain_available(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
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
}
// ANCHOR_END: drain_available

// ANCHOR: read_exact_async
/// Exercise `read_exact_async`: read exactly `n` bytes, waiting for
/// readiness in between instead of spinning. Fails with `UnexpectedEof` if
/// the peer closes first.
pub async fn read_exact_async(stream: &Async<TcpStream>, n: usize) -> io::Result<Vec<u8>> {
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
}
// ANCHOR_END: read_exact_async

// ANCHOR: echo
/// Exercise `echo`: send back every byte received until the peer closes its
/// side; return how many bytes were echoed.
pub async fn echo(stream: Async<TcpStream>) -> io::Result<u64> {
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
}
// ANCHOR_END: echo

// ANCHOR: echo_clients
/// Exercise `echo_clients`: accept `clients` connections and echo each one
/// (with [`echo`]) until it closes, all at the same time, on the current
/// thread. Returns the bytes echoed in total.
pub async fn echo_clients(listener: &Async<TcpListener>, clients: usize) -> io::Result<u64> {
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
}
// ANCHOR_END: echo_clients
