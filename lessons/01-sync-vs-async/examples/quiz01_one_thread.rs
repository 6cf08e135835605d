//! Self-check for chapter 01: what runs when, and on how many threads?
//!
//! Run it: cargo run -p lesson01-sync-vs-async --example quiz01_one_thread

use std::collections::HashSet;
use std::sync::Mutex;

use futures_lite::future;
use smol::LocalExecutor;

fn main() {
    // ANCHOR: quiz
    let threads = Mutex::new(HashSet::new());
    let ex = LocalExecutor::new();
    let mut tasks = Vec::new();
    for n in 1..=3 {
        let threads = &threads;
        tasks.push(ex.spawn(async move {
            threads.lock().unwrap().insert(std::thread::current().id());
            println!("task {n}: start");
            future::yield_now().await;
            println!("task {n}: end");
        }));
    }
    println!("spawned {} tasks", tasks.len());
    smol::block_on(ex.run(async {
        for task in tasks {
            task.await;
        }
    }));
    let n = threads.lock().unwrap().len();
    println!("they ran on {n} thread(s)");
    // ANCHOR_END: quiz
}
