//! CPU work inside an async fn stalls every task on the thread; the same
//! work in blocking::unblock does not.
//! cargo run -p lesson11-cpu-bound-and-parallelism --example stall
use std::cell::Cell;

use lesson11_cpu_bound_and_parallelism::{MIB, Timeline, bytes, checksum, ms};
use smol::{LocalExecutor, Timer};

// ANCHOR: ticker
/// A task that does a tiny bit of work every 100 ms (think: answering a
/// heartbeat) until `done` is set. Each tick is a row on the timeline.
async fn ticker(timeline: &Timeline, done: &Cell<bool>) {
    let mut n = 0;
    while !done.get() {
        n += 1;
        drop(timeline.span(&format!("tick {n}")));
        Timer::after(ms(100)).await;
    }
}
// ANCHOR_END: ticker

// ANCHOR: hash
/// The CPU-heavy job: a checksum of `data`, drawn as a row on the timeline
/// that names the thread it ran on.
fn hash(timeline: &Timeline, data: &[u8]) -> u64 {
    let _bar = timeline.span("hash 1 MiB");
    checksum(data)
}
// ANCHOR_END: hash

fn run(title: &str, offload: bool) {
    println!("== {title} ==");
    let timeline = Timeline::new();
    let done = Cell::new(false);
    let ex = LocalExecutor::new();
    let _ticker = ex.spawn(ticker(&timeline, &done));
    // ANCHOR: jobs
    let data = bytes(MIB);
    let tl = timeline.clone();
    let job = async move {
        if offload {
            // Runs on one of blocking's pool threads; this task just waits.
            blocking::unblock(move || hash(&tl, &data)).await
        } else {
            // Runs right here, inside this poll, on the executor's thread.
            hash(&tl, &data)
        }
    };
    // The test kit's blocking detector: Err(time) if one poll took > 50 ms.
    let checked = testkit::detect_blocking(job, ms(50));
    // ANCHOR_END: jobs
    let result = smol::block_on(ex.run(async {
        Timer::after(ms(150)).await; // let the ticker get going
        let result = checked.await;
        Timer::after(ms(150)).await; // and a little after the hash
        done.set(true);
        result
    }));
    match result {
        Ok(sum) => println!("checksum {sum:x}; no poll took longer than 50 ms"),
        Err(took) => println!(
            "blocking detector: one poll took {} ms (budget 50 ms): the executor was stuck",
            took.as_millis()
        ),
    }
    println!();
    // One picture holds both runs, on one time axis.
    print!("{}", timeline.render_run(title));
    println!();
}

fn main() {
    run("the hash inline, in the async fn", false);
    run("the hash in blocking::unblock", true);
    println!(
        "Inline: no tick while the hash runs (look for the gap), and the hash's row says \
         `on main`, the executor's thread.\nIn unblock: a tick every 100 ms all along, and \
         the hash runs on a `blocking-N` thread."
    );
}
