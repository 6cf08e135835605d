//! Five ways to let go of a task: drop the Task before it runs, detach it,
//! drop it while it waits, cancel it and wait for the cancellation, or drop
//! the executor under a detached task.
//! cargo run -p lesson06-executors-and-tasks --example cancel
use futures_lite::future;
use lesson06_executors_and_tasks::{chatty_job, forever};
use smol::Executor;

/// Runs the executor by hand until no task is ready.
fn tick_until_idle(ex: &Executor<'_>) {
    while ex.try_tick() {}
}

fn main() {
    let ex = Executor::new();

    // ANCHOR: dropped
    println!("1. let _ = ex.spawn(..): the Task is dropped at once");
    #[allow(clippy::let_underscore_future)] // clippy warns about exactly this
    let _ = ex.spawn(chatty_job("dropped", 2));
    tick_until_idle(&ex);
    println!("   (nothing printed: the task was cancelled before its first poll)\n");
    // ANCHOR_END: dropped

    // ANCHOR: detached
    println!("2. ex.spawn(..).detach(): nobody holds it, it runs to the end");
    ex.spawn(chatty_job("detached", 2)).detach();
    tick_until_idle(&ex);
    println!();
    // ANCHOR_END: detached

    // ANCHOR: drop_later
    println!("3. keep the Task, drop it while the task waits");
    let task = ex.spawn(forever("kept"));
    tick_until_idle(&ex);
    println!("   dropping the Task...");
    drop(task);
    tick_until_idle(&ex); // the executor drops the cancelled future
    println!();
    // ANCHOR_END: drop_later

    // ANCHOR: cancel
    println!("4. task.cancel().await: cancel and wait until it is gone");
    let task = ex.spawn(forever("cancelled"));
    tick_until_idle(&ex);
    let output = future::block_on(ex.run(task.cancel()));
    println!("   cancel() returned {output:?}: the task never finished\n");
    // ANCHOR_END: cancel

    // ANCHOR: drop_executor
    println!("5. a detached task still waiting when the executor is dropped");
    ex.spawn(forever("daemon")).detach();
    tick_until_idle(&ex);
    println!("   dropping the executor...");
    drop(ex);
    // ANCHOR_END: drop_executor
}
