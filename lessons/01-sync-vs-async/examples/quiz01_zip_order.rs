//! Self-check for chapter 01: in what order do these lines print?
//!
//! Run it: cargo run -p lesson01-sync-vs-async --example quiz01_zip_order

use futures_lite::future;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let a = async {
            println!("a: start");
            future::yield_now().await; // step aside once
            println!("a: end");
        };
        let b = async {
            println!("b: start");
            println!("b: end");
        };
        println!("before zip");
        future::zip(a, b).await;
        println!("after zip");
    });
    // ANCHOR_END: quiz
}
