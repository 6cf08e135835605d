//! The classic mistake: a blocking sleep inside async code. A request that
//! waits to retry holds the only thread, so a quick ping that arrives
//! meanwhile is not answered until the wait is over.
//! cargo run -p lesson13-common-mistakes --example blocking_sleep
use std::time::{Duration, Instant};

use lesson13_common_mistakes::Timeline;
use smol::{LocalExecutor, Timer};

const BACKOFF: Duration = Duration::from_millis(300);
const PING_ARRIVES: Duration = Duration::from_millis(20);

// ANCHOR: retry
/// A request whose first try fails: it waits BACKOFF, then tries again.
async fn retrying_request(timeline: &Timeline, blocking: bool) {
    let _bar = timeline.span("retrying request");
    // ... the first try failed; wait before the second one:
    if blocking {
        std::thread::sleep(BACKOFF); // the mistake: holds the thread
    } else {
        Timer::after(BACKOFF).await; // parks this task, frees the thread
    }
    // ... the second try succeeds.
}
// ANCHOR_END: retry

/// A quick request that arrives a moment later. Returns how long it waited
/// for its answer.
async fn ping(timeline: &Timeline, start: Instant) -> Duration {
    Timer::after(PING_ARRIVES).await;
    let _bar = timeline.span("ping");
    start.elapsed().saturating_sub(PING_ARRIVES)
}

fn serve_both(blocking: bool) {
    let timeline = Timeline::new();
    let ex = LocalExecutor::new();
    let start = Instant::now();
    let retry = ex.spawn(retrying_request(&timeline, blocking));
    let ping = ex.spawn(ping(&timeline, start));
    let waited = smol::block_on(ex.run(async {
        retry.await;
        ping.await
    }));
    let how = if blocking {
        "std::thread::sleep"
    } else {
        "smol::Timer"
    };
    println!("-- the retry waits with {how}");
    println!(
        "the ping arrived at {} ms and waited {} ms for its answer",
        PING_ARRIVES.as_millis(),
        waited.as_millis()
    );
    // One picture holds both runs, on one time axis.
    print!(
        "{}",
        timeline.render_run(&format!("the retry waits with {how}"))
    );
    println!();
}

fn main() {
    serve_both(true);
    serve_both(false);
}
