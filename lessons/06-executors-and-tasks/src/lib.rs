//! Lesson 06 demos share this: a job that takes a few turns and says what it
//! does, a drop guard that says when a future is dropped, and the timeline
//! recorder from the test kit. The types the exercises work with ([`Idle`],
//! [`Log`]) are given here too; the exercise re-exports them.

use futures_lite::future;
pub use testkit::timeline::Timeline;

mod given;
pub use given::{Idle, Log};

// ANCHOR: chatty_job
/// A job that needs `turns` polls: it prints each turn and yields in
/// between, handing the thread back to the executor.
pub async fn chatty_job(name: &'static str, turns: usize) -> &'static str {
    for turn in 1..=turns {
        println!("    {name}: turn {turn} of {turns}");
        if turn < turns {
            // Wakes this task right away and returns Pending once: the
            // executor puts it at the back of the run queue.
            future::yield_now().await;
        }
    }
    name
}
// ANCHOR_END: chatty_job

// ANCHOR: loud_drop
/// Prints when it is dropped: put one inside a future to see when the
/// future (and everything it owns) goes away.
pub struct LoudDrop(pub &'static str);

impl Drop for LoudDrop {
    fn drop(&mut self) {
        println!("    drop: {} (its destructor ran)", self.0);
    }
}
// ANCHOR_END: loud_drop

/// Waits forever while holding a [`LoudDrop`]: the only way it ends is by
/// being cancelled.
pub async fn forever(name: &'static str) {
    let _guard = LoudDrop(name);
    println!("    {name}: started, now waiting for something that never comes");
    future::pending::<()>().await
}
