//! Self-check for chapter 07: who wins each `or`?
//!
//! Run it: cargo run -p lesson07-composing-futures --example quiz07_or

use futures_lite::future;

fn main() {
    // ANCHOR: quiz
    future::block_on(async {
        let tie = future::or(async { "a" }, async { "b" }).await;
        println!("tie: {tie}");

        let a = async {
            future::yield_now().await;
            "a"
        };
        let later = future::or(a, async { "b" }).await;
        println!("a yields first: {later}");

        let b = async {
            future::yield_now().await;
            "b"
        };
        let both_wait = future::or(future::pending::<&str>(), b).await;
        println!("a never ends: {both_wait}");
    });
    // ANCHOR_END: quiz
}
