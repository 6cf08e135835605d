//! Polling a future by hand: Pending, a wake from another thread, Ready.
//! cargo run -p lesson05-futures-by-hand --example poll_the_oven
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lesson05_futures_by_hand::{Oven, PrintWaker, log};

fn main() {
    let t0 = Instant::now();
    // ANCHOR: main
    // A Waker is how a future says "poll me again". This one just prints.
    let (printer, waker) = PrintWaker::new(t0);
    let mut cx = Context::from_waker(&waker);
    // poll takes Pin<&mut Self>: pin the future where it lives.
    let mut pizza = pin!(Oven::new(t0));

    let first = pizza.as_mut().poll(&mut cx);
    log(t0, &format!("poll #1 -> {first:?} (the oven starts)"));

    std::thread::sleep(Duration::from_millis(50));
    let second = pizza.as_mut().poll(&mut cx);
    log(
        t0,
        &format!("poll #2 -> {second:?} (nobody woke us: a wasted poll)"),
    );

    // Sleep until the waker is called: it unparks this thread.
    printer.park_until(1);
    let third = pizza.as_mut().poll(&mut cx);
    log(t0, &format!("poll #3 -> {third:?}"));
    // ANCHOR_END: main
    assert_eq!(third, Poll::Ready("pizza"));
    println!(
        "\nThe future never waited: each poll returned at once. The oven thread called the \
         waker ({} time) when there was news, and only the poll after the wake was useful.",
        printer.wakes()
    );
}
