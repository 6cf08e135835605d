//! A LocalExecutor stepped by hand with try_tick: spawning only queues,
//! every tick is one poll of the oldest ready task.
//! cargo run -p lesson06-executors-and-tasks --example stepping
use futures_lite::future;
use lesson06_executors_and_tasks::chatty_job;
use smol::LocalExecutor;

fn main() {
    // ANCHOR: main
    let ex = LocalExecutor::new();
    let tasks = vec![
        ex.spawn(chatty_job("A", 3)),
        ex.spawn(chatty_job("B", 2)),
        ex.spawn(chatty_job("C", 1)),
    ];
    println!("spawned 3 tasks; nothing has printed yet, nothing has run");

    let mut ticks = 0;
    while ex.try_tick() {
        ticks += 1;
        println!("  ^ tick {ticks}");
    }
    println!("try_tick() returned false: nothing is ready, after {ticks} ticks");

    for task in tasks {
        // Every task is finished, so this never waits.
        println!("output: {}", future::block_on(task));
    }
    // ANCHOR_END: main
}
