//! A Semaphore is a lock with N keys: here at most 2 downloads at once.
//! cargo run -p lesson12-locks-and-deadlocks --example semaphore
use std::cell::Cell;

use async_lock::Semaphore;
use lesson12_locks_and_deadlocks::{Timeline, ms};
use smol::{LocalExecutor, Timer};

fn main() {
    let timeline = Timeline::new();
    let (now, most) = (Cell::new(0), Cell::new(0));
    // ANCHOR: permits
    let permits = Semaphore::new(2);
    let download = |file: &'static str| {
        let (permits, timeline, now, most) = (&permits, &timeline, &now, &most);
        async move {
            let _permit = permits.acquire().await; // waits while 2 are out
            now.set(now.get() + 1);
            most.set(most.get().max(now.get()));
            let _bar = timeline.span(file);
            Timer::after(ms(100)).await;
            now.set(now.get() - 1);
        } // the permit goes back here
    };
    // ANCHOR_END: permits
    let ex = LocalExecutor::new();
    let files = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"];
    let tasks = files.map(|file| ex.spawn(download(file)));
    smol::block_on(ex.run(async {
        for task in tasks {
            task.await;
        }
    }));
    print!("{}", timeline.render());
    println!(
        "\nSix downloads, a semaphore with 2 permits: at most {} ran at once.",
        most.get()
    );
}
