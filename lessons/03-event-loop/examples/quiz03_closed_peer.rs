//! Self-check for chapter 03: a peer hangs up and its socket stays
//! registered. How many events does each turn report?
//!
//! Run it: cargo run -p lesson03-event-loop --example quiz03_closed_peer

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use polling::{Event, Events, Poller};

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let peer = TcpStream::connect(listener.local_addr()?)?;
    let (mut s, _) = listener.accept()?;
    s.set_nonblocking(true)?;
    // ANCHOR: quiz
    let poller = Poller::new()?;
    let mut events = Events::new();
    // SAFETY: deleted below, before `s` is dropped.
    unsafe { poller.add(&s, Event::readable(1))? };
    drop(peer); // the peer hangs up

    for turn in 1..=4 {
        events.clear();
        poller.wait(&mut events, Some(Duration::from_millis(100)))?;
        let read = s.read(&mut [0u8; 8]);
        println!("turn {turn}: {} event(s), read {read:?}", events.len());
        if turn == 2 {
            poller.modify(&s, Event::readable(1))?; // re-arm, once
        }
    }
    // ANCHOR_END: quiz
    poller.delete(&s)?;
    Ok(())
}
