//! Self-check for chapter 12: how far does each side get?
//!
//! Run it: cargo run -p lesson12-locks-and-deadlocks --example quiz12_full_channel

use async_channel::{Receiver, Sender, bounded};
use futures_lite::future;
use lesson12_locks_and_deadlocks::{ms, within};

// ANCHOR: quiz
/// Sends 1, 2, 3, then reads everything the other side sent.
async fn side(name: &str, tx: Sender<u32>, rx: Receiver<u32>) {
    for i in 1..=3 {
        tx.send(i).await.unwrap();
        println!("{name} sent {i}");
    }
    drop(tx);
    while let Ok(i) = rx.recv().await {
        println!("{name} got {i}");
    }
}

fn main() {
    let (to_b, from_a) = bounded(2); // room for 2 messages each way
    let (to_a, from_b) = bounded(2);
    let both = future::zip(side("A", to_b, from_b), side("B", to_a, from_a));
    if smol::block_on(within(ms(200), both)).is_none() {
        println!("stuck");
    }
}
// ANCHOR_END: quiz
