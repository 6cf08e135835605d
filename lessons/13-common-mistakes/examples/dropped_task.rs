//! `let _ = ex.spawn(..)` versus a named Task versus `.detach()`: a heartbeat
//! that should run exactly as long as an upload.
//! cargo run -p lesson13-common-mistakes --example dropped_task
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use smol::{Executor, Timer};

const UPLOAD: Duration = Duration::from_millis(100);
const EVERY: Duration = Duration::from_millis(10);

/// Beats every 10 ms, forever.
async fn heartbeat(beats: Arc<AtomicUsize>) {
    loop {
        beats.fetch_add(1, Ordering::SeqCst);
        Timer::after(EVERY).await;
    }
}

/// The upload: 100 ms of waiting for the network.
async fn upload() {
    Timer::after(UPLOAD).await;
}

// ANCHOR: variants
async fn upload_with_heartbeat(
    ex: &Executor<'_>,
    how: &str, // which of the three variants
    beats: Arc<AtomicUsize>,
) {
    match how {
        "let _ =" => {
            #[allow(clippy::let_underscore_future)] // clippy spots this mistake
            let _ = ex.spawn(heartbeat(beats)); // dropped here: cancelled
            upload().await;
        }
        "let _heartbeat =" => {
            // A name (even one starting with `_`) lives to the block's end.
            let _heartbeat = ex.spawn(heartbeat(beats));
            upload().await;
        } // dropped here: cancelled, after the upload
        _ => {
            ex.spawn(heartbeat(beats)).detach(); // runs on its own, forever
            upload().await;
        }
    }
}
// ANCHOR_END: variants

fn main() {
    for how in ["let _ =", "let _heartbeat =", ".detach()"] {
        let ex = Executor::new();
        let beats = Arc::new(AtomicUsize::new(0));
        let (during, after) = smol::block_on(ex.run(async {
            upload_with_heartbeat(&ex, how, beats.clone()).await;
            let during = beats.load(Ordering::SeqCst);
            Timer::after(UPLOAD).await; // the session is over; is it quiet?
            (during, beats.load(Ordering::SeqCst) - during)
        }));
        println!(
            "{how:<18} beats during the {} ms upload: {during:>2}, in the {} ms after it: {after:>2}",
            UPLOAD.as_millis(),
            UPLOAD.as_millis()
        );
    }
}
