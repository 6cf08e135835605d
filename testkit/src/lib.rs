//! The workshop's test kit: what every check stands on.
//!
//! * [`run`] and [`Check`] run a learner's future on its own thread under a
//!   **watchdog** (a check can never hang the test process) and a **blocking
//!   detector** (one `poll` that takes longer than the budget fails the check
//!   with the fix).
//! * [`probes`] prove concurrency with counters instead of clocks: an
//!   in-flight counter, a [`Gate`](probes::Gate) that opens only when N
//!   operations wait at the same time, poll and wake counters, drop probes.
//! * [`net`] has loopback helpers: listeners on `127.0.0.1:0`, connected
//!   pairs, many clients at once.
//!
//! Every failure message says what was expected, what happened, and what to
//! read in the book.

pub mod heap;
pub mod net;
pub mod probes;
pub mod timeline;
mod watchdog;

pub use watchdog::{Check, DEFAULT_POLL_BUDGET, DEFAULT_TIMEOUT, detect_blocking, run, run_sync};

/// The marker `todo!()` leaves in a panic message.
pub const TODO_MARKER: &str = "not yet implemented";

/// Fails the current check with a message that starts with the lesson's
/// book section, so every failure points somewhere to read.
///
/// ```should_panic
/// testkit::fail("01-sync-vs-async.md#zip", "expected both to run at once");
/// ```
#[track_caller]
pub fn fail(section: &str, message: &str) -> ! {
    panic!("{message}\n  (read: book/src/{section})")
}
