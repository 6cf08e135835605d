//! A detached task that panics: the batch "succeeds" with a result missing.
//! Then the same batch with every Task kept, awaited and its panic caught.
//! cargo run -p lesson13-common-mistakes --example lost_panic
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures_lite::FutureExt;
use smol::Executor;

/// Makes a thumbnail; the decoder panics on a corrupt image.
async fn thumbnail(image: &'static str) -> String {
    smol::future::yield_now().await;
    if image.contains("corrupt") {
        panic!("cannot decode {image}");
    }
    format!("thumb of {image}")
}

const IMAGES: [&str; 3] = ["cat.png", "corrupt.png", "dog.png"];

fn main() {
    // One short line per panic instead of the default report (and backtrace).
    std::panic::set_hook(Box::new(|info| {
        let text = info.payload().downcast_ref::<String>();
        eprintln!("  [panic hook, on stderr] a task panicked: {text:?}");
    }));
    let ex = Executor::new();

    println!("-- detached tasks");
    // ANCHOR: detached
    let done = Arc::new(Mutex::new(Vec::new()));
    for image in IMAGES {
        let done = done.clone();
        ex.spawn(async move {
            let thumb = thumbnail(image).await;
            done.lock().unwrap().push(thumb);
        })
        .detach(); // the mistake: nobody will ever hear from this task again
    }
    // ANCHOR_END: detached
    while ex.try_tick() {}
    println!("batch done: {:?}", done.lock().unwrap());

    println!("\n-- kept Tasks, panics caught");
    // ANCHOR: kept
    let tasks: Vec<_> = IMAGES
        .into_iter()
        .map(|image| ex.spawn(AssertUnwindSafe(thumbnail(image)).catch_unwind()))
        .collect();
    smol::block_on(ex.run(async {
        for (i, task) in tasks.into_iter().enumerate() {
            match task.await {
                Ok(thumb) => println!("job {i}: {thumb}"),
                Err(payload) => {
                    let text = payload
                        .downcast_ref::<String>()
                        .cloned()
                        .unwrap_or_default();
                    println!("job {i} panicked: {text}");
                }
            }
        }
    }));
    // ANCHOR_END: kept
}
