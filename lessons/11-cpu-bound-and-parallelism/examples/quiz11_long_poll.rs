//! Self-check for chapter 11: in what order do these lines print?
//!
//! Run it: cargo run -p lesson11-cpu-bound-and-parallelism --example quiz11_long_poll

use futures_lite::future;
use smol::LocalExecutor;

/// CPU work that never awaits anything.
fn crunch() -> u64 {
    (0..5_000_000u64).fold(0, |acc, x| acc ^ x.wrapping_mul(31))
}

fn main() {
    // ANCHOR: quiz
    let ex = LocalExecutor::new();
    let ticker = ex.spawn(async {
        for i in 1..=3 {
            println!("tick {i}");
            future::yield_now().await;
        }
    });
    let cruncher = ex.spawn(async {
        println!("crunch: start");
        let _ = crunch(); // a long poll: no .await inside
        println!("crunch: end");
    });
    smol::block_on(ex.run(future::zip(ticker, cruncher)));
    // ANCHOR_END: quiz
}
