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

/// Waits until `n` bytes are waiting in `stream`'s receive buffer, without
/// taking them out (it peeks at them). Use it to make "the data has
/// arrived" a fact before calling code that reads without blocking. Gives
/// up with an error after 5 s. The stream's read timeout is put back as it
/// was.
pub fn wait_for_bytes(stream: &TcpStream, n: usize) -> io::Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let before = stream.read_timeout()?;
    let mut buf = vec![0u8; n.max(1)];
    let result = (|| {
        stream.set_read_timeout(Some(Duration::from_millis(1)))?;
        loop {
            // A peek returns what is queued now, up to the buffer's size.
            let queued = match stream.peek(&mut buf) {
                Ok(k) => k,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    0
                }
                Err(e) => return Err(e),
            };
            if queued >= n {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("testkit: only {queued} of {n} bytes arrived"),
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    })();
    stream.set_read_timeout(before)?;
    result
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

/// Shrinks the kernel's send buffer of `stream` (the kernel rounds it up to
/// its minimum). With a small send buffer a writer soon finds it nearly
/// full, so `write` returns a *partial* count: the way to prove that code
/// loops until every byte is written. Portable through `socket2`.
pub fn shrink_send_buffer(stream: &TcpStream, bytes: usize) -> io::Result<()> {
    socket2::SockRef::from(stream).set_send_buffer_size(bytes)
}

/// Two connected blocking streams, `(client, server)`, with tiny kernel
/// buffers where the echo flows back: the client's receive buffer is small
/// from the start (so the TCP window stays small) and the server's send
/// buffer is shrunk. When the client does not read for a while, the server's
/// writes soon come back *partial*.
pub fn pair_small_buffers() -> (TcpStream, TcpStream) {
    // A socket takes its receive buffer from the listener that accepted it,
    // before the connection's window is agreed. So the *accepted* socket
    // plays the client here, and the connecting one the server.
    let (l, addr) = listener();
    socket2::SockRef::from(&l)
        .set_recv_buffer_size(4096)
        .expect("testkit: SO_RCVBUF");
    let server = TcpStream::connect(addr).expect("testkit: connect");
    let (client, _) = l.accept().expect("testkit: accept");
    shrink_send_buffer(&server, 4096).expect("testkit: SO_SNDBUF");
    (client, server)
}
