//! Lesson 01 demos share this: a coffee order that takes a while, in three
//! flavours (blocking, async) and the timeline recorder from the test kit.

use std::time::Duration;

pub use testkit::timeline::Timeline;

/// How long one order takes in the demos.
pub const BREW: Duration = Duration::from_millis(300);

// ANCHOR: blocking_order
/// Brews one coffee the blocking way: the thread that calls this can do
/// nothing else until it returns.
pub fn brew_blocking(timeline: &Timeline, who: &str) -> String {
    let _bar = timeline.span(who);
    std::thread::sleep(BREW);
    format!("coffee for {who}")
}
// ANCHOR_END: blocking_order

// ANCHOR: async_order
/// Brews one coffee the async way: while the timer runs, the thread is free
/// to work on other orders.
pub async fn brew(timeline: &Timeline, who: &str) -> String {
    let _bar = timeline.span(who);
    smol::Timer::after(BREW).await;
    format!("coffee for {who}")
}
// ANCHOR_END: async_order

/// The customers in every demo.
pub const CUSTOMERS: [&str; 4] = ["Ada", "Bob", "Cy", "Dee"];
