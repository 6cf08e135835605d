//! Lesson 07 demos share this: a pretend server that answers after a delay,
//! a guard that says when it is dropped (so cancellation is visible), and the
//! timeline recorder from the test kit. The error of the exercise
//! `with_timeout` ([`TimedOut`]) is given here too.

use std::time::Duration;

pub use testkit::timeline::Timeline;

mod given;
pub use given::TimedOut;

// ANCHOR: loud
/// Prints a line when it is dropped. Put one inside a future and you see the
/// moment that future is cancelled (or finishes).
pub struct Loud(pub &'static str);

impl Drop for Loud {
    fn drop(&mut self) {
        println!("  [drop] {} is gone", self.0);
    }
}
// ANCHOR_END: loud

// ANCHOR: ask
/// A pretend server: answers `who` after `delay`, drawing a bar on the
/// timeline while it works. If the future is dropped early, the bar ends
/// there and `Loud` reports the cancellation.
pub async fn ask(timeline: &Timeline, who: &'static str, delay: Duration) -> String {
    let _bar = timeline.span(who);
    let _loud = Loud(who);
    smol::Timer::after(delay).await;
    format!("answer from {who}")
}
// ANCHOR_END: ask

/// Milliseconds, to keep the demos short to read.
pub const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
