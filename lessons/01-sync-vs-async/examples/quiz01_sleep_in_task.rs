//! Self-check for chapter 01: two tasks on one thread, one of them sleeps.
//! In what order do the lines print?
//!
//! Run it: cargo run -p lesson01-sync-vs-async --example quiz01_sleep_in_task

use std::time::Duration;

use futures_lite::future;
use smol::LocalExecutor;

fn main() {
    // ANCHOR: quiz
    let ex = LocalExecutor::new();
    let a = ex.spawn(async {
        println!("A: start");
        std::thread::sleep(Duration::from_millis(100));
        println!("A: end");
    });
    let b = ex.spawn(async {
        println!("B: start");
        future::yield_now().await;
        println!("B: end");
    });
    smol::block_on(ex.run(future::zip(a, b)));
    // ANCHOR_END: quiz
}
