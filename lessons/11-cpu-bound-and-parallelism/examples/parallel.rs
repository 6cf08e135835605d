//! Concurrency vs parallelism: the same four CPU-heavy tasks on a
//! single-threaded executor, then on one Executor run by two threads.
//! cargo run -p lesson11-cpu-bound-and-parallelism --example parallel
use std::thread;
use std::time::Instant;

use futures_lite::future;
use lesson11_cpu_bound_and_parallelism::{MIB, Timeline, bytes, checksum};
use smol::{Executor, LocalExecutor};

const CHUNKS: usize = 4;

/// One chunk's job: a checksum, drawn as a row that names its thread.
fn hash_chunk(timeline: &Timeline, i: usize, chunk: &[u8]) -> u64 {
    let _bar = timeline.span(&format!("chunk {i}"));
    checksum(chunk)
}

fn one_thread(data: &[u8], timeline: &Timeline) -> u64 {
    // ANCHOR: one_thread
    let ex = LocalExecutor::new();
    let tasks: Vec<_> = data
        .chunks(data.len() / CHUNKS)
        .enumerate()
        .map(|(i, chunk)| ex.spawn(async move { hash_chunk(timeline, i, chunk) }))
        .collect();
    // All four tasks exist at once (concurrency), but one thread polls
    // them, and a task that never awaits runs to its end: one at a time.
    future::block_on(ex.run(async {
        let mut total = 0u64;
        for task in tasks {
            total = total.wrapping_add(task.await);
        }
        total
    }))
    // ANCHOR_END: one_thread
}

fn two_threads(data: &[u8], timeline: &Timeline) -> u64 {
    // ANCHOR: two_threads
    let ex = Executor::new();
    let tasks: Vec<_> = data
        .chunks(data.len() / CHUNKS)
        .enumerate()
        .map(|(i, chunk)| ex.spawn(async move { hash_chunk(timeline, i, chunk) }))
        .collect();
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    thread::scope(|s| {
        // Two threads run the same executor: two tasks run at once
        // (parallelism), one on each core.
        for n in 1..=2 {
            let (ex, stopped) = (&ex, stopped.clone());
            thread::Builder::new()
                .name(format!("worker-{n}"))
                .spawn_scoped(s, move || future::block_on(ex.run(stopped.recv())))
                .unwrap();
        }
        let mut total = 0u64;
        for task in tasks {
            total = total.wrapping_add(future::block_on(task));
        }
        drop(stop); // the workers' run() returns; the scope joins them
        total
    })
    // ANCHOR_END: two_threads
}

fn main() {
    let data = bytes(2 * MIB);

    println!("== 4 tasks on a LocalExecutor (one thread) ==");
    let timeline = Timeline::new();
    let start = Instant::now();
    let a = one_thread(&data, &timeline);
    let one = start.elapsed();
    print!("{}", timeline.render());

    println!("\n== 4 tasks on an Executor run by 2 threads ==");
    let timeline = Timeline::new();
    let start = Instant::now();
    let b = two_threads(&data, &timeline);
    let two = start.elapsed();
    print!("{}", timeline.render());

    assert_eq!(a, b, "the same work gives the same answer");
    println!(
        "\nsame result ({a:x}); one thread took {} ms, two threads took {} ms \
         (on {} cores).",
        one.as_millis(),
        two.as_millis(),
        thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "One thread: the chunks run one after another, all `on main`.\n\
         Two threads: two chunks at a time, on worker-1 and worker-2."
    );
}
