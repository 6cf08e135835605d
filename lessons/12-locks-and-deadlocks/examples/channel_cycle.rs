//! A sends to B and B sends to A over bounded channels. When both send
//! everything before they read, both channels fill up and both wait
//! forever. Then the same exchange with sending and receiving together.
//! cargo run -p lesson12-locks-and-deadlocks --example channel_cycle
use async_channel::{Receiver, Sender, bounded};
use futures_lite::future;
use lesson12_locks_and_deadlocks::{ms, within};

// ANCHOR: send_first
/// Sends everything first, then reads what the other side sent.
async fn send_then_read(
    who: &str,
    out: Vec<u32>, // the messages to send
    tx: Sender<u32>,
    rx: Receiver<u32>,
) -> Vec<u32> {
    for m in out {
        println!("  {who}: sending {m}");
        if tx.send(m).await.is_err() {
            break;
        }
    }
    drop(tx); // done sending: close our side
    let mut got = Vec::new();
    while let Ok(m) = rx.recv().await {
        got.push(m);
    }
    got
}
// ANCHOR_END: send_first

// ANCHOR: both_at_once
/// Sends and reads at the same time: while send() waits for room, recv()
/// keeps emptying the other channel.
async fn send_and_read(
    who: &str,
    out: Vec<u32>, // the messages to send
    tx: Sender<u32>,
    rx: Receiver<u32>,
) -> Vec<u32> {
    let sending = async move {
        for m in out {
            println!("  {who}: sending {m}");
            if tx.send(m).await.is_err() {
                break;
            }
        }
    }; // tx is dropped when the sending loop ends
    let reading = async {
        let mut got = Vec::new();
        while let Ok(m) = rx.recv().await {
            got.push(m);
        }
        got
    };
    future::zip(sending, reading).await.1
}
// ANCHOR_END: both_at_once

fn main() {
    println!("1. Both send 3 messages before reading, channels of capacity 1:");
    // ANCHOR: jam
    let (a_to_b, b_from_a) = bounded(1);
    let (b_to_a, a_from_b) = bounded(1);
    let (ab, ba) = (a_to_b.clone(), b_to_a.clone()); // to look at them afterwards
    let a = send_then_read("A", vec![1, 2, 3], a_to_b, a_from_b);
    let b = send_then_read("B", vec![10, 20, 30], b_to_a, b_from_a);
    match smol::block_on(within(ms(500), future::zip(a, b))) {
        Some((a_got, b_got)) => println!("  A got {a_got:?}, B got {b_got:?}"),
        None => println!(
            "  deadlocked: neither task can proceed. A->B holds {}/1, \
             B->A holds {}/1: both full,\n  both sides wait in send() and \
             nobody reads. Gave up after 500 ms.",
            ab.len(),
            ba.len()
        ),
    }
    // ANCHOR_END: jam

    println!("\n2. The same, but each side reads while it sends:");
    let (a_to_b, b_from_a) = bounded(1);
    let (b_to_a, a_from_b) = bounded(1);
    let a = send_and_read("A", vec![1, 2, 3], a_to_b, a_from_b);
    let b = send_and_read("B", vec![10, 20, 30], b_to_a, b_from_a);
    match smol::block_on(within(ms(500), future::zip(a, b))) {
        Some((a_got, b_got)) => println!("  A got {a_got:?}, B got {b_got:?}"),
        None => println!("  deadlocked: neither task can proceed"),
    }
}
