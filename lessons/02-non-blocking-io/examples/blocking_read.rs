//! A blocking read: the thread sleeps inside read() until the peer sends.
//! cargo run -p lesson02-non-blocking-io --example blocking_read
use std::io::Read;

use lesson02_non_blocking_io::{Timeline, pair, slow_peer};

fn main() {
    let timeline = Timeline::new();
    let (client, mut server) = pair();
    let peer = slow_peer(client, b"hello");
    // ANCHOR: main
    let mut buf = [0u8; 64];
    let n = {
        let _bar = timeline.span("read()");
        server.read(&mut buf).unwrap() // the thread is stuck here
    };
    println!("read {n} bytes: {:?}", String::from_utf8_lossy(&buf[..n]));
    // ANCHOR_END: main
    peer.join().unwrap();
    println!("\nThe thread could do nothing else while read() waited:\n");
    print!("{}", timeline.render());
}
