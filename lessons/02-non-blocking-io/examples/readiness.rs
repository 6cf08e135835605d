//! Readiness: Async<TcpStream> asks the OS to tell it when the socket is
//! readable, and sleeps until then. No blocking, no spinning.
//! cargo run -p lesson02-non-blocking-io --example readiness
use std::io::Read;
use std::net::TcpStream;

use async_io::Async;
use lesson02_non_blocking_io::{pair, slow_peer};
use testkit::probes::count_polls;

fn main() {
    let (client, server) = pair();
    let peer = slow_peer(client, b"hello");
    // ANCHOR: main
    let server = Async::new(server).unwrap(); // non-blocking + registered with the reactor
    let mut buf = [0u8; 64];
    let mut attempts = 0u64;
    let read = server.read_with(|s: &TcpStream| {
        attempts += 1;
        (&*s).read(&mut buf) // WouldBlock here makes read_with wait for readiness
    });
    let (read, polls) = count_polls(read);
    let n = smol::block_on(read).unwrap();
    // ANCHOR_END: main
    peer.join().unwrap();
    println!("read {n} bytes: {:?}", String::from_utf8_lossy(&buf[..n]));
    println!(
        "the future was polled {} times and tried read() {attempts} times.",
        polls.get()
    );
    println!("In between, the thread slept until the reactor said \"readable\".");
}
