//! A std MutexGuard held across .await, two tasks on one thread: the second
//! task blocks the whole thread, forever. Then two ways to fix it.
//! cargo run -p lesson12-locks-and-deadlocks --example std_mutex
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use lesson12_locks_and_deadlocks::{Timeline, ms};
use smol::{LocalExecutor, Timer};

// ANCHOR: held
/// Counts a visit, then saves the new count, which takes a while.
/// The bug: the guard `n` is still alive while the task waits for the save.
// On purpose: this is the bug the lint is for.
#[allow(clippy::await_holding_lock)]
async fn count_and_save(counter: &Mutex<u32>, who: &str) {
    println!("  {who}: asks for the lock");
    let mut n = counter.lock().unwrap();
    *n += 1;
    println!(
        "  {who}: counted {}, now saving it (still holding the guard)",
        *n
    );
    Timer::after(ms(100)).await; // the task pauses HERE, guard and all
    println!("  {who}: saved");
}
// ANCHOR_END: held

// ANCHOR: scoped
/// The fix when the await does not need the data: copy out what you need
/// and let the guard go before the task can pause.
async fn count_then_save(counter: &Mutex<u32>, who: &str, timeline: &Timeline) {
    let n = {
        let mut n = counter.lock().unwrap();
        *n += 1;
        *n
    }; // the guard is dropped here, before the .await
    let _bar = timeline.span(who);
    Timer::after(ms(100)).await; // save n
    println!("  {who}: saved {n}");
}
// ANCHOR_END: scoped

// ANCHOR: async_lock
/// The fix when the data must stay locked across the await: an async lock.
/// Waiting for it returns Pending instead of blocking the thread.
async fn count_and_save_async(
    counter: &async_lock::Mutex<u32>, // an async lock this time
    who: &str,
    timeline: &Timeline,
) {
    let mut n = counter.lock().await;
    let _bar = timeline.span(who);
    *n += 1;
    Timer::after(ms(100)).await; // allowed with an async guard...
    println!("  {who}: saved {}", *n);
} // ...but the other task waits for the whole save
// ANCHOR_END: async_lock

fn main() {
    println!("1. A std MutexGuard held across .await, two tasks on one thread:");
    // ANCHOR: bounded
    // The executor runs on a thread of its own, so that main can give up on
    // it instead of hanging with it.
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let counter = Mutex::new(0);
        let ex = LocalExecutor::new();
        let a = ex.spawn(count_and_save(&counter, "A"));
        let b = ex.spawn(count_and_save(&counter, "B"));
        smol::block_on(ex.run(async {
            a.await;
            b.await;
        }));
        let _ = done_tx.send(());
    });
    match done_rx.recv_timeout(Duration::from_secs(1)) {
        Ok(()) => println!("  both finished"),
        Err(_) => println!(
            "  deadlocked: neither task can proceed. B is blocked inside \
             lock() and took the whole thread with it,\n  so A, which \
             holds the guard, never runs again to drop it. (The thread \
             stays stuck; main gives up after 1 s.)"
        ),
    }
    // ANCHOR_END: bounded

    println!("\n2. The guard dropped before the .await (std Mutex, scoped):");
    let timeline = Timeline::new();
    let counter = Mutex::new(0);
    let ex = LocalExecutor::new();
    let a = ex.spawn(count_then_save(&counter, "A", &timeline));
    let b = ex.spawn(count_then_save(&counter, "B", &timeline));
    smol::block_on(ex.run(async {
        a.await;
        b.await;
    }));
    print!("{}", timeline.render());

    println!("\n3. An async_lock::Mutex held across the .await:");
    let timeline = Timeline::new();
    let counter = async_lock::Mutex::new(0);
    let ex = LocalExecutor::new();
    let a = ex.spawn(count_and_save_async(&counter, "A", &timeline));
    let b = ex.spawn(count_and_save_async(&counter, "B", &timeline));
    smol::block_on(ex.run(async {
        a.await;
        b.await;
    }));
    print!("{}", timeline.render());
    println!(
        "\nScoped std guard: both saves overlap. Async lock: no deadlock, but B waits for \
         A's whole save."
    );
}
