//! Self-check for chapter 08: in what order do these lines print?
//!
//! Run it: cargo run -p lesson08-web-server --example quiz08_accept_loop

use futures_lite::future;
use smol::LocalExecutor;

/// Stands for one connection: it has to wait once in the middle.
async fn handle(client: u32) {
    println!("  start {client}");
    future::yield_now().await; // waiting for the client's bytes
    println!("  end {client}");
}

fn main() {
    // ANCHOR: quiz
    let ex = LocalExecutor::new();
    smol::block_on(ex.run(async {
        println!("awaited in the loop:");
        for client in 1..=2 {
            handle(client).await;
        }
        println!("spawned, then awaited:");
        let mut tasks = Vec::new();
        for client in 1..=2 {
            tasks.push(ex.spawn(handle(client)));
        }
        for task in tasks {
            task.await;
        }
    }));
    // ANCHOR_END: quiz
}
