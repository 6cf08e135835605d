//! Self-check for chapter 07: how many items does this pipeline pull?
//!
//! Run it: cargo run -p lesson07-composing-futures --example quiz07_stream_pulls

use futures_lite::{StreamExt, stream};

fn main() {
    // ANCHOR: quiz
    let evens: Vec<u32> = futures_lite::future::block_on(
        stream::iter(1..)
            .inspect(|n| println!("pulled {n}"))
            .filter(|n| n % 2 == 0)
            .take(2)
            .collect(),
    );
    println!("{evens:?}");
    // ANCHOR_END: quiz
}
