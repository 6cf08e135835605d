//! One client never reads. With `send().await` in the broker it stalls the
//! whole chat; with `try_send` only the slow client misses lines.
//! cargo run -p lesson09-chat-server --example slow_client
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use lesson09_chat_server::{Client, OUTBOX_CAPACITY, Policy, Stats, start_server};

/// Lines ann sends, 16 KiB each: more than the kernel buffers for `slow`.
const LINES: usize = 600;
/// ann stays at most this many lines ahead of bob, so bob's queue never fills.
const WINDOW: usize = 16;

async fn chat(policy: Policy) -> std::io::Result<()> {
    let stats = Arc::new(Stats::default());
    let (addr, _server) = start_server(policy, stats.clone()).await;
    let patience = Duration::from_millis(1000);
    let pad = "x".repeat(16 * 1024);

    // ANCHOR: main
    let mut ann = Client::join(addr, "ann").await?;
    let mut bob = Client::join(addr, "bob").await?;
    ann.hear(patience).await; // * bob joined
    let _slow = Client::join(addr, "slow").await?; // ...and never reads
    ann.hear(patience).await; // * slow joined
    bob.hear(patience).await; // * slow joined

    let mut bob_got = 0;
    for i in 0..LINES + WINDOW {
        if i >= WINDOW {
            match bob.hear(patience).await {
                Some(_) => bob_got += 1,
                None => break, // bob heard nothing for a whole second
            }
        }
        if i < LINES {
            ann.say(&format!("{i:05} {pad}")).await?;
        }
    }
    // ANCHOR_END: main

    println!("{policy:?}:");
    println!("    bob received {bob_got} of {LINES} lines");
    println!(
        "    lines the broker dropped for `slow`: {}",
        stats.dropped.load(Ordering::Relaxed)
    );
    Ok(())
}

fn main() -> std::io::Result<()> {
    println!(
        "ann sends {LINES} lines of 16 KiB, bob reads them, `slow` reads nothing.\n\
         Each client's queue holds {OUTBOX_CAPACITY} lines.\n"
    );
    smol::block_on(async {
        chat(Policy::AwaitSend).await?;
        chat(Policy::TrySend).await
    })?;
    println!(
        "\nAwaitSend: once slow's socket buffers and queue were full, the broker waited\n\
         for slow, and bob (and everyone) waited with it. TrySend: slow lost lines, bob\n\
         got all of his."
    );
    Ok(())
}
