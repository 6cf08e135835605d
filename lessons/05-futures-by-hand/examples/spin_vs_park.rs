//! Busy-spinning vs parking: the same future, two ways of waiting for it.
//! cargo run -p lesson05-futures-by-hand --example spin_vs_park
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use lesson05_futures_by_hand::{Oven, Timeline, count_polls, log, thread_cpu_time};

// ANCHOR: spin
/// The wrong way to wait: poll in a loop with a waker that does nothing.
/// It works, and it keeps one CPU core at 100 % the whole time.
fn spin_on<F: Future>(fut: F) -> (F::Output, usize) {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return (out, polls);
        }
    }
}
// ANCHOR_END: spin

fn main() {
    let t0 = Instant::now();
    // Every bar also records the CPU time its thread used (the picture
    // draws it as a dark bar under the wait).
    let timeline = Timeline::measuring_cpu();
    let cpu0 = thread_cpu_time();
    // ANCHOR: main
    let (out, spin_polls) = {
        let _bar = timeline.span("spin_on");
        spin_on(Oven::new(t0))
    };
    log(t0, &format!("spin_on: {out} after {spin_polls} polls"));
    let cpu1 = thread_cpu_time();

    let (oven, polls) = count_polls(Oven::new(t0));
    let out = {
        let _bar = timeline.span("futures_lite::block_on");
        futures_lite::future::block_on(oven)
    };
    log(t0, &format!("block_on: {out} after {} polls", polls.get()));
    // ANCHOR_END: main
    let cpu2 = thread_cpu_time();
    if let (Some(c0), Some(c1), Some(c2)) = (cpu0, cpu1, cpu2) {
        println!(
            "\nCPU time of the main thread: spin_on {} ms, block_on {} ms (from \
             /proc/thread-self/schedstat)",
            (c1 - c0).as_millis(),
            (c2 - c1).as_millis()
        );
    }
    println!(
        "\nSame wait, same result. spin_on asked \"done yet?\" {spin_polls} times; block_on \
         asked twice and slept (parked) in between until the oven called its waker.\n"
    );
    print!("{}", timeline.render());
}
