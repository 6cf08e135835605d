//! Self-check for chapter 06: in what order do the tasks run, and how many
//! ticks does it take?
//!
//! Run it: cargo run -p lesson06-executors-and-tasks --example quiz06_turns

use futures_lite::future;
use smol::LocalExecutor;

// ANCHOR: quiz
async fn job(name: &str, steps: u32) {
    for step in 1..=steps {
        println!("{name}{step}");
        future::yield_now().await;
    }
}

fn main() {
    let ex = LocalExecutor::new();
    let a = ex.spawn(job("A", 3));
    let b = ex.spawn(job("B", 1));
    let mut ticks = 0;
    while ex.try_tick() {
        ticks += 1;
    }
    println!("ticks: {ticks}");
    println!("finished: {} {}", a.is_finished(), b.is_finished());
}
// ANCHOR_END: quiz
