//! Self-check for chapter 12: what does this print?
//!
//! Run it: cargo run -p lesson12-locks-and-deadlocks --example quiz12_relock

use async_lock::Mutex;
use lesson12_locks_and_deadlocks::{ms, within};

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let balance = Mutex::new(100);
        let outcome = within(ms(200), async {
            let from = balance.lock().await;
            println!("locked once");
            let to = balance.lock().await; // the same account
            println!("locked twice: {} {}", *from, *to);
        })
        .await;
        match outcome {
            Some(()) => println!("finished"),
            None => println!("gave up after 200 ms"),
        }
    });
    // ANCHOR_END: quiz
}
