//! Self-check for chapter 05: what does this hand-written future print,
//! and how many times is it polled?
//!
//! Run it: cargo run -p lesson05-futures-by-hand --example quiz05_countdown

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: quiz
struct Countdown(u32);

impl Future for Countdown {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        println!("poll: {}", self.0);
        if self.0 == 0 {
            return Poll::Ready("liftoff".into());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref(); // "poll me again"
        Poll::Pending
    }
}

fn main() {
    let out = futures_lite::future::block_on(Countdown(2));
    println!("{out}");
}
// ANCHOR_END: quiz
