//! One smol::Executor shared by three threads: any thread may poll any
//! task, so the tasks land on different threads.
//! cargo run -p lesson06-executors-and-tasks --example shared_executor
use std::sync::{Arc, Barrier};
use std::time::Duration;

use futures_lite::future;
use lesson06_executors_and_tasks::Timeline;
use smol::{Executor, Timer};

fn main() {
    let timeline = Timeline::new();
    // ANCHOR: main
    const WORKERS: usize = 3;
    let ex = Executor::new();
    // Opens each time WORKERS threads are waiting at it at the same moment.
    let barrier = Arc::new(Barrier::new(WORKERS));
    let tasks: Vec<_> = ["A", "B", "C", "D", "E", "F"]
        .into_iter()
        .map(|name| {
            let (timeline, barrier) = (timeline.clone(), barrier.clone());
            ex.spawn(async move {
                let _bar = timeline.span(name);
                // A demo device, never do this in real async code: `wait()`
                // blocks the worker thread (lesson 01's mistake). That is the
                // point here: a worker stuck at the barrier cannot poll
                // anything else, so the barrier opens only once three tasks
                // wait at it on three different workers. The tasks cannot
                // all end up on one thread.
                barrier.wait();
                Timer::after(Duration::from_millis(100)).await;
                name
            })
        })
        .collect();

    let (stop, stopped) = smol::channel::bounded::<()>(1);
    std::thread::scope(|s| {
        // Three threads run the same executor until `stop` is closed.
        for i in 1..=WORKERS {
            let (ex, stopped) = (&ex, stopped.clone());
            std::thread::Builder::new()
                .name(format!("worker-{i}"))
                .spawn_scoped(s, move || future::block_on(ex.run(stopped.recv())))
                .unwrap();
        }
        // The main thread only waits for the outputs.
        for task in tasks {
            println!("done: {}", future::block_on(task));
        }
        drop(stop); // closes the channel: every worker's run() returns
    });
    // ANCHOR_END: main
    println!(
        "\nSix tasks, three threads: each row names the thread that first polled that task.\n"
    );
    print!("{}", timeline.render());
}
