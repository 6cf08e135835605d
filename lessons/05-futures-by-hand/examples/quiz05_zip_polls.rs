//! Self-check for chapter 05: how often does a join poll each side?
//!
//! Run it: cargo run -p lesson05-futures-by-hand --example quiz05_zip_polls

use futures_lite::future;
use lesson05_futures_by_hand::count_polls;

fn main() {
    // ANCHOR: quiz
    let (slow, slow_polls) = count_polls(async {
        future::yield_now().await;
        future::yield_now().await;
        "slow"
    });
    let (quick, quick_polls) = count_polls(async { "quick" });
    let (both, zip_polls) = count_polls(future::zip(slow, quick));
    let out = future::block_on(both);
    println!("{out:?}");
    println!("zip polled {} times", zip_polls.get());
    println!("slow polled {} times", slow_polls.get());
    println!("quick polled {} times", quick_polls.get());
    // ANCHOR_END: quiz
}
