//! Self-check for chapter 10: does the consumer ever print "done"?
//!
//! Run it: cargo run -p lesson10-data-pipelines --example quiz10_sender_alive

use std::time::Duration;

use futures_lite::future;
use smol::Timer;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let (tx, rx) = async_channel::bounded::<u32>(8);
        let spare = tx.clone(); // "might be handy later"
        let producer = async move {
            for i in 1..=3 {
                tx.send(i).await.unwrap();
            }
        };
        let consumer = async {
            let mut total = 0;
            while let Ok(i) = rx.recv().await {
                total += i;
            }
            println!("done: total {total}");
        };
        let run = future::zip(producer, consumer);
        let give_up = async {
            Timer::after(Duration::from_millis(200)).await;
            println!("gave up: the consumer is still waiting");
        };
        future::or(
            async {
                run.await;
            },
            give_up,
        )
        .await;
        drop(spare);
    });
    // ANCHOR_END: quiz
}
