//! Streams: a paged API turned into a stream with unfold, then a lazy
//! pipeline with StreamExt. Only the pages that are needed are fetched.
//! cargo run -p lesson07-composing-futures --example streams
use futures_lite::{StreamExt, stream};
use lesson07_composing_futures::ms;
use smol::Timer;

/// A pretend paged API: page `n` holds readings 10n .. 10n+9 (some of them
/// negative, meaning "sensor error"); there are 100 pages.
async fn fetch_page(n: i32) -> Vec<i32> {
    println!("  fetching page {n}");
    Timer::after(ms(20)).await;
    (10 * n..10 * n + 10)
        .map(|r| if r % 3 == 0 { -r } else { r })
        .collect()
}

fn main() {
    smol::block_on(async {
        // ANCHOR: unfold
        // The state is the next page number; each step fetches one page and
        // yields it. None ends the stream.
        let pages = stream::unfold(0, |n| async move {
            if n == 100 {
                return None;
            }
            Some((fetch_page(n).await, n + 1))
        });
        // ANCHOR_END: unfold
        // ANCHOR: pipeline
        let first: Vec<u32> = pages
            .flat_map(stream::iter) // one stream of readings
            .filter(|r| *r >= 0) // drop sensor errors
            .map(|r| r as u32)
            .take(12) // stop pulling after 12
            .collect()
            .await;
        // ANCHOR_END: pipeline
        println!("first 12 valid readings: {first:?}");
    });
    println!("\nOnly 2 of the 100 pages were fetched: streams are pulled, one item at a time.");
}
