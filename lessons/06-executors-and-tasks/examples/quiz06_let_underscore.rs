//! Self-check for chapter 06: which of these tasks ever run?
//!
//! Run it: cargo run -p lesson06-executors-and-tasks --example quiz06_let_underscore

#![allow(clippy::let_underscore_future)] // the quiz is about exactly this

use smol::LocalExecutor;

fn main() {
    // ANCHOR: quiz
    let ex = LocalExecutor::new();
    let _ = ex.spawn(async { println!("one") });
    let _two = ex.spawn(async { println!("two") });
    ex.spawn(async { println!("three") }).detach();
    let four = ex.spawn(async { println!("four") });
    drop(four);
    while ex.try_tick() {}
    println!("idle");
    // ANCHOR_END: quiz
}
