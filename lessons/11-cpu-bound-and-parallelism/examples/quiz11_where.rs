//! Self-check for chapter 11: which thread runs each closure?
//!
//! Run it: cargo run -p lesson11-cpu-bound-and-parallelism --example quiz11_where

use std::thread;

fn on_main() -> bool {
    thread::current().name() == Some("main")
}

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let inline = async { on_main() }.await;
        println!("async block: on main = {inline}");

        let pooled = blocking::unblock(on_main).await;
        println!("unblock: on main = {pooled}");

        let data: Vec<u64> = (1..=3).collect();
        let sum = blocking::unblock(move || data.iter().sum::<u64>()).await;
        println!("sum = {sum}");
    });
    // ANCHOR_END: quiz
}
