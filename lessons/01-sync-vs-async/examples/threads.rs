//! A thread per order: blocking calls, but side by side.
//! cargo run -p lesson01-sync-vs-async --example threads
use lesson01_sync_vs_async::{CUSTOMERS, Timeline, brew_blocking};

fn main() {
    let timeline = Timeline::new();
    // ANCHOR: main
    std::thread::scope(|s| {
        let handles: Vec<_> = CUSTOMERS
            .iter()
            .map(|who| {
                let timeline = &timeline;
                std::thread::Builder::new()
                    .name(format!("thread-{who}"))
                    .spawn_scoped(s, move || brew_blocking(timeline, who))
                    .unwrap()
            })
            .collect();
        for h in handles {
            println!("served {}", h.join().unwrap());
        }
    });
    // ANCHOR_END: main
    println!("\nA thread each: the orders overlap, and each has its own thread.\n");
    print!("{}", timeline.render());
}
