//! A fast producer and a slow consumer, joined by a bounded and by an
//! unbounded channel: who sets the pace, and how much waits in between?
//! cargo run -p lesson10-data-pipelines --example backpressure
use async_channel::{Receiver, Sender};
use futures_lite::future;
use lesson10_data_pipelines::{Gauge, ms};
use smol::Timer;

const ITEMS: usize = 200;

// ANCHOR: run
/// The producer is as fast as it can be; the consumer needs 1 ms per item.
async fn run(tx: Sender<usize>, rx: Receiver<usize>) -> Gauge {
    let gauge = Gauge::new();
    let producer = async {
        for i in 1..=ITEMS {
            gauge.enter();
            // With a bounded channel this waits while the channel is full.
            tx.send(i).await.unwrap();
            if i % 50 == 0 {
                println!(
                    "  sent {i:>3}   received {:>3}   in between {:>3}",
                    gauge.left(),
                    i - gauge.left()
                );
            }
        }
        drop(tx); // closes the channel: the consumer's loop ends
    };
    let consumer = async {
        while let Ok(_item) = rx.recv().await {
            gauge.leave();
            Timer::after(ms(1)).await; // slow work
        }
    };
    future::zip(producer, consumer).await;
    gauge
}
// ANCHOR_END: run

fn main() {
    smol::block_on(async {
        // ANCHOR: main
        println!("bounded(4):");
        let (tx, rx) = async_channel::bounded(4);
        let gauge = run(tx, rx).await;
        println!("  most items in between at once: {}\n", gauge.most());

        println!("unbounded():");
        let (tx, rx) = async_channel::unbounded();
        let gauge = run(tx, rx).await;
        println!("  most items in between at once: {}", gauge.most());
        // ANCHOR_END: main
    });
    println!(
        "\nWith bounded(4) the producer waits in send() whenever 4 items are queued:\n\
         the slow consumer sets the pace, and memory holds at most 4 + 1 items.\n\
         With unbounded() the producer never waits: all {ITEMS} items pile up in the\n\
         channel before the consumer has taken one. For {ITEMS} numbers that is harmless;\n\
         for the lines of a 10 GB file it is the whole file in memory."
    );
}
