//! Self-check for chapter 03: which keys are in the event list?
//!
//! Run it: cargo run -p lesson03-event-loop --example quiz03_append

use std::io::Write;
use std::net::{TcpListener, TcpStream};

use polling::{Event, Events, Poller};

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut peer = TcpStream::connect(listener.local_addr()?)?;
    let (s, _) = listener.accept()?;
    s.set_nonblocking(true)?;
    // ANCHOR: quiz
    let poller = Poller::new()?;
    let mut events = Events::new();
    // SAFETY: deleted below, before `s` is dropped.
    unsafe { poller.add(&s, Event::readable(7))? };
    peer.write_all(b"x")?;

    poller.wait(&mut events, None)?;
    let keys: Vec<usize> = events.iter().map(|e| e.key).collect();
    println!("after wait 1: keys {keys:?}");

    poller.modify(&s, Event::readable(7))?; // re-arm; no clear()
    poller.wait(&mut events, None)?;
    let keys: Vec<usize> = events.iter().map(|e| e.key).collect();
    println!("after wait 2: keys {keys:?}");
    // ANCHOR_END: quiz
    poller.delete(&s)?;
    Ok(())
}
