//! Self-check for chapter 05: the same future without the wake. What
//! happens?
//!
//! Run it: cargo run -p lesson05-futures-by-hand --example quiz05_no_wake

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::time::Duration;

// ANCHOR: quiz
struct Countdown(u32);

impl Future for Countdown {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<String> {
        println!("poll: {}", self.0);
        if self.0 == 0 {
            return Poll::Ready("liftoff".into());
        }
        self.0 -= 1;
        Poll::Pending // and nobody was told to wake us
    }
}

fn main() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let out = futures_lite::future::block_on(Countdown(2));
        tx.send(out).unwrap();
    });
    match rx.recv_timeout(Duration::from_secs(1)) {
        Ok(out) => println!("{out}"),
        Err(_) => println!("no answer after 1 s: block_on sleeps forever"),
    }
}
// ANCHOR_END: quiz
