//! Loopback helpers: everything binds `127.0.0.1:0`, so checks never fight
//! over a port and never leave the machine.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use async_io::Async;

/// A blocking listener on a free loopback port, and its address.
pub fn listener() -> (TcpListener, SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").expect("testkit: bind 127.0.0.1:0");
    let addr = l.local_addr().expect("testkit: local_addr");
    (l, addr)
}

/// An `Async` listener on a free loopback port, and its address.
pub fn async_listener() -> (Async<TcpListener>, SocketAddr) {
    let l = Async::<TcpListener>::bind(([127, 0, 0, 1], 0)).expect("testkit: bind 127.0.0.1:0");
    let addr = l.get_ref().local_addr().expect("testkit: local_addr");
    (l, addr)
}

/// Two connected blocking streams: `(client, server)`.
pub fn pair() -> (TcpStream, TcpStream) {
    let (l, addr) = listener();
    let client = TcpStream::connect(addr).expect("testkit: connect");
    let (server, _) = l.accept().expect("testkit: accept");
    client.set_nodelay(true).ok();
    server.set_nodelay(true).ok();
    (client, server)
}

/// Connects `n` blocking clients to `addr`, each with a read timeout of
/// `read_timeout` so that a client never waits forever for a reply.
pub fn clients(addr: SocketAddr, n: usize, read_timeout: Duration) -> Vec<TcpStream> {
    (0..n)
        .map(|i| {
            let s = TcpStream::connect(addr)
                .unwrap_or_else(|e| panic!("testkit: client {i} could not connect: {e}"));
            s.set_read_timeout(Some(read_timeout)).ok();
            s.set_nodelay(true).ok();
            s
        })
        .collect()
}

/// Blocks until `n` bytes are waiting in `stream`'s receive buffer, without
/// taking them out (it peeks). Use it to make "the data has arrived" a fact
/// before calling code that reads without blocking. It puts the stream in
/// blocking mode.
pub fn wait_for_bytes(stream: &TcpStream, n: usize) -> io::Result<()> {
    let mut buf = vec![0u8; n];
    stream.set_nonblocking(false)?;
    loop {
        let got = stream.peek(&mut buf)?;
        if got >= n {
            return Ok(());
        }
        if got == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the peer closed after {got} of {n} bytes"),
            ));
        }
        std::thread::yield_now();
    }
}

/// Writes one line (adds `\n`) and flushes.
pub fn send_line(stream: &mut TcpStream, line: &str) -> io::Result<()> {
    stream.write_all(line.as_bytes())?;
    stream.write_all(b"\n")?;
    stream.flush()
}

/// Reads bytes up to and including the next `\n` (or EOF); returns the line
/// without the newline. A read timeout on the stream applies.
pub fn read_line(stream: &mut TcpStream) -> io::Result<String> {
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match stream.read(&mut byte)? {
            0 => break,
            _ if byte[0] == b'\n' => break,
            _ => out.push(byte[0]),
        }
    }
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
