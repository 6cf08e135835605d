//! Self-check for chapter 06: a task calls block_on. In what order do the
//! lines print?
//!
//! Run it: cargo run -p lesson06-executors-and-tasks --example quiz06_nested

use std::time::Duration;

use futures_lite::future;
use smol::{LocalExecutor, Timer};

fn main() {
    // ANCHOR: quiz
    let ex = LocalExecutor::new();
    let waiter = ex.spawn(async {
        println!("waiter: start");
        smol::block_on(Timer::after(Duration::from_millis(50)));
        println!("waiter: end");
    });
    let ticker = ex.spawn(async {
        for n in 1..=2 {
            println!("tick {n}");
            future::yield_now().await;
        }
    });
    smol::block_on(ex.run(future::zip(waiter, ticker)));
    // ANCHOR_END: quiz
}
