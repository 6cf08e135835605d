//! One barista, blocking calls, one order after another.
//! cargo run -p lesson01-sync-vs-async --example sequential
use lesson01_sync_vs_async::{CUSTOMERS, Timeline, brew_blocking};

fn main() {
    let timeline = Timeline::new();
    // ANCHOR: main
    for who in CUSTOMERS {
        let coffee = brew_blocking(&timeline, who);
        println!("served {coffee}");
    }
    // ANCHOR_END: main
    println!("\nOne thread, blocking calls: everyone waits in line.\n");
    print!("{}", timeline.render());
}
