//! Concurrency is not parallelism: two CPU-heavy jobs under future::zip run
//! one after the other on one thread; with smol::unblock they run on two
//! threads at once, and the executor's thread stays free.
//! cargo run -p lesson13-common-mistakes --example parallelism
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_lite::future;
use lesson13_common_mistakes::{LIMIT, Timeline, count_primes};
use smol::{Executor, Timer};

fn run(title: &str, parallel: bool) {
    let timeline = Timeline::new();
    let ex = Executor::new();
    // Another task on the same executor: how often does it get a turn?
    let ticks = Arc::new(AtomicUsize::new(0));
    let t = ticks.clone();
    let _ticker = ex.spawn(async move {
        loop {
            Timer::after(Duration::from_millis(5)).await;
            t.fetch_add(1, Ordering::SeqCst);
        }
    });
    let (tl_a, tl_b) = (timeline.clone(), timeline.clone());
    let job_a = move || {
        let _bar = tl_a.span("job a");
        count_primes(LIMIT)
    };
    let job_b = move || {
        let _bar = tl_b.span("job b");
        count_primes(LIMIT)
    };
    let start = Instant::now();
    let (a, b) = smol::block_on(ex.run(async {
        if parallel {
            // ANCHOR: unblock
            future::zip(smol::unblock(job_a), smol::unblock(job_b)).await
            // ANCHOR_END: unblock
        } else {
            // ANCHOR: zip
            future::zip(async { job_a() }, async { job_b() }).await
            // ANCHOR_END: zip
        }
    }));
    let took = start.elapsed();
    println!("-- {title}");
    println!(
        "results {a} and {b}; both done after {} ms; the ticker on the executor ticked {} times",
        took.as_millis(),
        ticks.load(Ordering::SeqCst)
    );
    print!("{}", timeline.render());
    println!();
}

fn main() {
    println!(
        "this machine can run {} threads at once\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    run("future::zip of two CPU-heavy jobs", false);
    run("future::zip of two smol::unblock jobs", true);
}
