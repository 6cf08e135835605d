//! Self-check for chapter 04: how many times is the async flow polled?
//!
//! Run it: cargo run -p lesson04-callbacks-vs-futures --example quiz04_polls

use lesson04_callbacks_vs_futures::{Kitchen, Timeline, ask};
use testkit::probes::count_polls;

fn main() {
    let kitchen = Kitchen::new(&Timeline::new());
    // ANCHOR: quiz
    // Each step: the kitchen answers 200 ms later, on a thread of its own.
    let flow = async {
        let chopped = ask(|done| kitchen.chop("onion", done)).await?;
        let fried = ask(|done| kitchen.cook(&chopped, done)).await?;
        ask(|done| kitchen.plate(&fried, done)).await
    };
    let (flow, polls) = count_polls(flow);
    let dish = smol::block_on(flow);
    println!("{dish:?}");
    println!("polls: {}", polls.get());
    // ANCHOR_END: quiz
}
