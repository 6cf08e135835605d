//! Lesson 12 demos share this: a bounded wait that turns a deadlock into a
//! message instead of a hang, and the timeline recorder from the test kit.
//! The bank accounts of the exercise `transfer` ([`Account`],
//! [`TransferError`]) are given here too.

use std::future::Future;
use std::time::Duration;

use futures_lite::future;
pub use testkit::timeline::Timeline;

mod given;
pub use given::{Account, TransferError};

// ANCHOR: within
/// Runs `work`, but gives up after `patience`: `Some(output)` when it
/// finished, `None` when it was still waiting. A deadlock never ends by
/// itself, so every deadlock demo goes through this.
pub async fn within<F>(patience: Duration, work: F) -> Option<F::Output>
where
    F: Future,
{
    let finished = async { Some(work.await) };
    let gave_up = async {
        smol::Timer::after(patience).await;
        None
    };
    future::or(finished, gave_up).await
}
// ANCHOR_END: within

/// Milliseconds, to keep the demos short to read.
pub const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
