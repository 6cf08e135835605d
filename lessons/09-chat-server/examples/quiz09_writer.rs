//! Self-check for chapter 09: in what order do these lines print?
//!
//! Run it: cargo run -p lesson09-chat-server --example quiz09_writer

use futures_lite::future;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let (outbox, queue) = async_channel::bounded::<&str>(8);
        let writer = async move {
            while let Ok(line) = queue.recv().await {
                println!("writer: {line}");
            }
            println!("writer: queue closed, done");
        };
        let broker = async move {
            outbox.send("* bob joined").await.unwrap();
            outbox.send("bob: hi").await.unwrap();
            println!("broker: bob left, dropping his outbox");
            drop(outbox);
        };
        future::zip(writer, broker).await;
    });
    // ANCHOR_END: quiz
}
