//! Self-check for chapter 14: which side wins each race?
//!
//! Run it: cargo run -p lesson14-capstone --example quiz14_race

use std::time::Duration;

use futures_lite::future;
use smol::Timer;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        // Both are ready at once: a shutdown signal and a new client.
        let shutdown = async { "shutdown" };
        let accept = async { "accept" };
        println!("1: {}", future::or(shutdown, accept).await);

        // A request that needs 50 ms, against a 200 ms idle timer.
        let request = async {
            Timer::after(Duration::from_millis(50)).await;
            "request"
        };
        let idle = async {
            Timer::after(Duration::from_millis(200)).await;
            "idle"
        };
        println!("2: {}", future::or(request, idle).await);

        // A client that never sends, against the same timer.
        let silent = future::pending::<&str>();
        let idle = async {
            Timer::after(Duration::from_millis(200)).await;
            "idle"
        };
        println!("3: {}", future::or(silent, idle).await);
    });
    // ANCHOR_END: quiz
}
