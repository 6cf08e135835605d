//! Self-check for chapter 12: in what order do these lines print?
//!
//! Run it: cargo run -p lesson12-locks-and-deadlocks --example quiz12_lock_turns

use async_lock::Mutex;
use futures_lite::future;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let lock = Mutex::new(0);
        let a = async {
            let mut g = lock.lock().await;
            println!("A: locked");
            future::yield_now().await; // A waits, guard and all
            *g += 1;
            println!("A: unlocks");
        };
        let b = async {
            println!("B: asks for the lock");
            let mut g = lock.lock().await;
            *g += 1;
            println!("B: locked, value {}", *g);
        };
        future::zip(a, b).await;
    });
    // ANCHOR_END: quiz
}
