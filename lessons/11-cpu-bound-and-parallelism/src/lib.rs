//! Lesson 11 gives this: a deliberately slow checksum (the stand-in for any
//! CPU-heavy job, shared by the demos and the exercises), what the exercise
//! `parallel_sum` returns, some bytes to feed the checksum, and the timeline
//! recorder from the test kit.

use std::time::Duration;

pub use testkit::timeline::{Timeline, thread_label};

mod given;
pub use given::{Checksum, ROUNDS, Summed, checksum};

/// `len` bytes that are not all the same.
pub fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// One mebibyte.
pub const MIB: usize = 1 << 20;

/// Milliseconds, to keep the demos short to read.
pub const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
