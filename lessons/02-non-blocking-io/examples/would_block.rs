//! Non-blocking reads: read() returns WouldBlock at once. Asking again and
//! again (spinning) works, but burns a core.
//! cargo run -p lesson02-non-blocking-io --example would_block
use std::io::{ErrorKind, Read};

use lesson02_non_blocking_io::{pair, slow_peer};

fn main() {
    let (client, mut server) = pair();
    let peer = slow_peer(client, b"hello");
    // ANCHOR: main
    server.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 64];
    let mut asked = 0u64;
    let n = loop {
        asked += 1;
        match server.read(&mut buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => continue, // "not yet!"
            Err(e) => panic!("read failed: {e}"),
        }
    };
    // ANCHOR_END: main
    peer.join().unwrap();
    println!("read {n} bytes: {:?}", String::from_utf8_lossy(&buf[..n]));
    println!(
        "read() was called {asked} times and said WouldBlock {} times.",
        asked - 1
    );
    println!("Never blocked, but a whole core spun asking \"ready yet?\".");
}
