//! Self-check for chapter 02: how many times is the read future polled?
//!
//! Run it: cargo run -p lesson02-non-blocking-io --example quiz02_poll_count

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use async_io::Async;
use futures_lite::AsyncReadExt;
use testkit::probes::count_polls;

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        let mut peer = TcpStream::connect(addr).unwrap();
        rx.recv().unwrap(); // until main is ready
        std::thread::sleep(Duration::from_millis(200));
        peer.write_all(b"hello").unwrap();
    });
    let (s, _) = listener.accept().unwrap();
    // ANCHOR: quiz
    let mut stream = Async::new(s).unwrap();
    // The peer writes "hello" 200 ms from now.
    tx.send(()).unwrap();
    let mut buf = [0u8; 5];
    let (read, polls) = count_polls(stream.read_exact(&mut buf));
    smol::block_on(read).unwrap();
    println!("read {:?}", String::from_utf8_lossy(&buf));
    println!("polls: {}", polls.get());
    // ANCHOR_END: quiz
    writer.join().unwrap();
}
