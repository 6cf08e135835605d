//! Async tasks on one thread: the orders overlap, one thread does it all.
//! cargo run -p lesson01-sync-vs-async --example tasks
use lesson01_sync_vs_async::{CUSTOMERS, Timeline, brew};
use smol::LocalExecutor;

fn main() {
    let timeline = Timeline::new();
    // ANCHOR: main
    let ex = LocalExecutor::new();
    let tasks: Vec<_> = CUSTOMERS
        .iter()
        .map(|who| ex.spawn(brew(&timeline, who)))
        .collect();
    smol::block_on(ex.run(async {
        for task in tasks {
            println!("served {}", task.await);
        }
    }));
    // ANCHOR_END: main
    println!("\nAsync tasks: the orders overlap, and all of them ran on one thread.\n");
    print!("{}", timeline.render());
}
