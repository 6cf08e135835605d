//! Self-check for chapter 10: in what order do these lines print?
//!
//! Run it: cargo run -p lesson10-data-pipelines --example quiz10_bounded_send

use futures_lite::future;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let (tx, rx) = async_channel::bounded(2);
        let producer = async move {
            for i in 1..=4 {
                tx.send(i).await.unwrap();
                println!("sent {i}");
            }
            // The block ends and drops tx: the channel closes.
        };
        let consumer = async move {
            while let Ok(i) = rx.recv().await {
                println!("got {i}");
            }
            println!("closed");
        };
        future::zip(producer, consumer).await;
    });
    // ANCHOR_END: quiz
}
