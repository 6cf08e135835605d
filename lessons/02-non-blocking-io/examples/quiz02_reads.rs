//! Self-check for chapter 02: what does each non-blocking read return?
//!
//! Run it: cargo run -p lesson02-non-blocking-io --example quiz02_reads

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};

/// Blocks until the socket has something to report (data or a close):
/// `peek` on a blocking socket waits and takes nothing out.
fn wait_for_news(s: &TcpStream) {
    s.set_nonblocking(false).unwrap();
    s.peek(&mut [0u8; 1]).unwrap();
    s.set_nonblocking(true).unwrap();
}

fn show(n: u32, r: std::io::Result<usize>, buf: &[u8]) {
    match r {
        Ok(k) => println!("read {n}: Ok({k}) {:?}", String::from_utf8_lossy(&buf[..k])),
        Err(e) if e.kind() == ErrorKind::WouldBlock => println!("read {n}: WouldBlock"),
        Err(e) => println!("read {n}: error {e}"),
    }
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut peer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut s, _) = listener.accept().unwrap();
    let mut buf = [0u8; 16];
    // ANCHOR: quiz
    s.set_nonblocking(true).unwrap();
    show(1, s.read(&mut buf), &buf);

    peer.write_all(b"hi").unwrap();
    wait_for_news(&s); // the two bytes have arrived
    show(2, s.read(&mut buf), &buf);
    show(3, s.read(&mut buf), &buf);

    drop(peer); // the other side closes
    wait_for_news(&s);
    show(4, s.read(&mut buf), &buf);
    show(5, s.read(&mut buf), &buf);
    // ANCHOR_END: quiz
}
