//! Ten downloads, at most three at a time: a Semaphore hands out permits.
//! cargo run -p lesson10-data-pipelines --example limit
use std::sync::Arc;

use async_lock::Semaphore;
use lesson10_data_pipelines::{Timeline, ms};
use smol::Timer;
use testkit::probes::InFlight;

const LIMIT: usize = 3;

/// A pretend download: takes 100 to 180 ms and draws a bar on the timeline.
async fn download(timeline: Timeline, inflight: InFlight, i: u64) -> String {
    let _bar = timeline.span(&format!("file {i}"));
    let _counted = inflight.enter();
    Timer::after(ms(100 + (i * 37) % 90)).await;
    format!("file {i}")
}

fn main() {
    let timeline = Timeline::new();
    let inflight = InFlight::new();
    smol::block_on(async {
        // ANCHOR: main
        let permits = Arc::new(Semaphore::new(LIMIT));
        let mut tasks = Vec::new();
        for i in 0..10 {
            // Waits here while LIMIT downloads are running.
            let permit = permits.acquire_arc().await;
            let job = download(timeline.clone(), inflight.clone(), i);
            tasks.push(smol::spawn(async move {
                let out = job.await;
                drop(permit); // the slot is free again: the next download starts
                out
            }));
        }
        for task in tasks {
            println!("got {}", task.await); // in the order they were started
        }
        // ANCHOR_END: main
    });
    println!(
        "\nAt most {} downloads ran at the same time (limit {LIMIT}), {} in all.\n",
        inflight.max(),
        inflight.total()
    );
    print!("{}", timeline.render());
}
