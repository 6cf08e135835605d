//! Fair turns: two workers on one thread, with and without yield_now.
//! cargo run -p lesson07-composing-futures --example turns
use std::cell::RefCell;

use futures_lite::future;
use smol::LocalExecutor;

// ANCHOR: workers
/// Does `steps` steps; when `polite`, yields to the other tasks after each.
async fn worker(name: &str, steps: usize, polite: bool, log: &RefCell<Vec<String>>) {
    for i in 0..steps {
        log.borrow_mut().push(format!("{name}{i}"));
        if polite {
            future::yield_now().await;
        }
    }
}
// ANCHOR_END: workers

fn run(polite: bool) {
    let log = RefCell::new(Vec::new());
    // ANCHOR: drive
    let ex = LocalExecutor::new();
    let a = ex.spawn(worker("a", 3, polite, &log));
    let b = ex.spawn(worker("b", 3, polite, &log));
    // One try_tick = one task gets one poll. Print the log after each.
    let mut tick = 0;
    while ex.try_tick() {
        tick += 1;
        println!("  after tick {tick}: {:?}", log.borrow());
    }
    // ANCHOR_END: drive
    assert!(a.is_finished() && b.is_finished());
}

fn main() {
    println!("workers that never yield:");
    run(false);
    println!("\nworkers that yield_now() after every step:");
    run(true);
    println!("\nWithout a yield, a task keeps the thread until it is done or waits.");
}
