//! Self-check for chapter 02: a 2-byte buffer, a peer that sends "abc" and
//! hangs up. What does the loop print?
//!
//! Run it: cargo run -p lesson02-non-blocking-io --example quiz02_small_buffer

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut peer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut s, _) = listener.accept().unwrap();
    // ANCHOR: quiz
    peer.write_all(b"abc").unwrap();
    drop(peer); // hang up
    s.peek(&mut [0u8; 3]).unwrap(); // (blocking) wait until "abc" is here

    let mut buf = [0u8; 2];
    loop {
        let n = s.read(&mut buf).unwrap();
        if n == 0 {
            println!("Ok(0): the peer closed");
            break;
        }
        println!("got {n}: {:?}", String::from_utf8_lossy(&buf[..n]));
    }
    // ANCHOR_END: quiz
}
