//! The classic mistake: a blocking call inside async code. The tasks are
//! async, but each order holds the only thread while it sleeps.
//! cargo run -p lesson01-sync-vs-async --example blocking_in_async
use lesson01_sync_vs_async::{CUSTOMERS, Timeline, brew_blocking};
use smol::LocalExecutor;

fn main() {
    let timeline = Timeline::new();
    // ANCHOR: main
    let ex = LocalExecutor::new();
    let tasks: Vec<_> = CUSTOMERS
        .iter()
        .map(|who| {
            let timeline = &timeline;
            // An async block around a blocking call is still a blocking call.
            ex.spawn(async move { brew_blocking(timeline, who) })
        })
        .collect();
    smol::block_on(ex.run(async {
        for task in tasks {
            println!("served {}", task.await);
        }
    }));
    // ANCHOR_END: main
    println!("\nAsync in name only: std::thread::sleep held the thread, so the line is back.\n");
    print!("{}", timeline.render());
}
