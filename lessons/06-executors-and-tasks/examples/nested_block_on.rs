//! Event-loop confusion: a task that calls block_on inside the executor.
//! The nested block_on holds the executor's only thread, so the other
//! tasks stop; if it waits for one of them, it waits forever.
//! cargo run -p lesson06-executors-and-tasks --example nested_block_on
use std::cell::Cell;
use std::time::Duration;

use futures_lite::future;
use smol::{LocalExecutor, Timer};

// ANCHOR: ticker
/// Ticks `n` times, taking turns with the other tasks.
async fn ticker(ticks: &Cell<u32>, n: u32) {
    for _ in 0..n {
        ticks.set(ticks.get() + 1);
        future::yield_now().await;
    }
}
// ANCHOR_END: ticker

fn main() {
    // ANCHOR: stall
    let ticks = Cell::new(0);
    let ex = LocalExecutor::new();
    let waiter = ex.spawn(async {
        println!("waiter: block_on(timer) inside a task...");
        let before = ticks.get();
        smol::block_on(Timer::after(Duration::from_millis(100)));
        println!("waiter: ticks while it waited: {}", ticks.get() - before);
    });
    let t = ex.spawn(ticker(&ticks, 3));
    smol::block_on(ex.run(future::zip(t, waiter)));
    // ANCHOR_END: stall

    // ANCHOR: await
    let ticks = Cell::new(0);
    let ex = LocalExecutor::new();
    let waiter = ex.spawn(async {
        println!("waiter: Timer::after(..).await inside a task...");
        let before = ticks.get();
        Timer::after(Duration::from_millis(100)).await;
        println!("waiter: ticks while it waited: {}", ticks.get() - before);
    });
    let t = ex.spawn(ticker(&ticks, 3));
    smol::block_on(ex.run(future::zip(t, waiter)));
    // ANCHOR_END: await

    // ANCHOR: deadlock
    let ex = LocalExecutor::new();
    let (tx, rx) = smol::channel::bounded::<&str>(1);
    let receiver = ex.spawn(async move {
        println!("receiver: block_on(rx.recv()) inside a task...");
        let recv = async { rx.recv().await.ok() };
        let give_up = async {
            Timer::after(Duration::from_millis(300)).await;
            None // the demo's safety net: give up after 300 ms
        };
        let msg = smol::block_on(future::or(recv, give_up));
        match msg {
            Some(m) => println!("receiver: got {m:?}"),
            None => println!("receiver: gave up: the sender never ran"),
        }
    });
    let sender = ex.spawn(async move {
        match tx.send("hello").await {
            Ok(()) => println!("sender: sent"),
            Err(_) => println!("sender: ran at last; nobody is listening"),
        }
    });
    smol::block_on(ex.run(future::zip(receiver, sender)));
    // ANCHOR_END: deadlock
}
