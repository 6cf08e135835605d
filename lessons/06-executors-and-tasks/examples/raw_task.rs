//! A task taken apart: async_task::spawn gives a Runnable and a Task, and a
//! schedule function decides where the Runnable waits for its turn.
//! cargo run -p lesson06-executors-and-tasks --example raw_task
use std::sync::mpsc;

use futures_lite::future;
use lesson06_executors_and_tasks::chatty_job;

fn main() {
    // ANCHOR: spawn
    // The run queue: a channel of Runnables.
    let (queue, ready) = mpsc::channel::<async_task::Runnable>();
    // async-task calls this every time the task is woken.
    let schedule = move |runnable| {
        println!("  schedule(): the task is ready, into the queue it goes");
        queue.send(runnable).unwrap();
    };

    let (runnable, task) = async_task::spawn(chatty_job("A", 3), schedule);
    println!("spawned: we hold a Runnable and a Task; the job has not run at all");

    println!("runnable.schedule():");
    runnable.schedule();
    // ANCHOR_END: spawn

    // ANCHOR: loop
    let mut polls = 0;
    // The whole executor: take the oldest Runnable, run it (one poll).
    while let Ok(runnable) = ready.try_recv() {
        polls += 1;
        println!("poll {polls}: runnable.run()");
        let woke_itself = runnable.run();
        if woke_itself {
            println!("  run() returned true: it woke itself, it is already back in the queue");
        } else {
            println!("  run() returned false: it finished (or waits for someone to wake it)");
        }
    }
    println!(
        "queue empty after {polls} polls; task finished: {}",
        task.is_finished()
    );
    let output = future::block_on(task);
    println!("the Task hands over the job's output: {output:?}");
    // ANCHOR_END: loop
}
