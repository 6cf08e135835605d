//! Self-check for chapter 03: how many events does each wait report?
//!
//! Run it: cargo run -p lesson03-event-loop --example quiz03_oneshot

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use polling::{Event, Events, Poller};

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut peer = TcpStream::connect(listener.local_addr()?)?;
    let (s, _) = listener.accept()?;
    s.set_nonblocking(true)?;
    // ANCHOR: quiz
    let poller = Poller::new()?;
    let mut events = Events::new();
    let wait = Duration::from_millis(100);
    // SAFETY: deleted below, before `s` is dropped.
    unsafe { poller.add(&s, Event::readable(1))? };
    peer.write_all(b"x")?; // one byte arrives, and nobody reads it

    poller.wait(&mut events, None)?;
    println!("wait 1: {} event(s)", events.len());

    events.clear();
    poller.wait(&mut events, Some(wait))?;
    println!("wait 2: {} event(s)", events.len());

    poller.modify(&s, Event::readable(1))?;
    events.clear();
    poller.wait(&mut events, Some(wait))?;
    println!("wait 3, after modify: {} event(s)", events.len());
    // ANCHOR_END: quiz
    poller.delete(&s)?;
    Ok(())
}
