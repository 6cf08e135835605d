//! Self-check for chapter 13: how many times does each heartbeat beat?
//!
//! Run it: cargo run -p lesson13-common-mistakes --example quiz13_dropped_task

use std::cell::Cell;

use futures_lite::future;
use smol::LocalExecutor;

fn main() {
    // ANCHOR: quiz
    let first = Cell::new(0);
    let second = Cell::new(0);
    let ex = LocalExecutor::new();
    #[allow(clippy::let_underscore_future)] // clippy spots this mistake
    let _ = ex.spawn(async {
        loop {
            first.set(first.get() + 1); // beat
            future::yield_now().await;
        }
    });
    let _second = ex.spawn(async {
        loop {
            second.set(second.get() + 1); // beat
            future::yield_now().await;
        }
    });
    for _turn in 0..3 {
        ex.try_tick(); // run one scheduled task, if there is one
    }
    println!("first: {}, second: {}", first.get(), second.get());
    // ANCHOR_END: quiz
}
