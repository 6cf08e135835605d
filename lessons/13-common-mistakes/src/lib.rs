//! Lesson 13 demos share this: a CPU-heavy job with a fixed amount of work,
//! and the timeline recorder from the test kit. The settings of the exercise
//! `swallowed_error` ([`Config`]) are given here too.

pub use testkit::timeline::Timeline;

mod given;
pub use given::Config;

// ANCHOR: count_primes
/// CPU work and nothing else: counts the primes below `limit` the slow way.
/// It never waits for anything, so it never gives its thread back.
pub fn count_primes(limit: u64) -> usize {
    (2..limit)
        .filter(|&n| (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count()
}
// ANCHOR_END: count_primes

/// How far [`count_primes`] counts in the demos: a few hundred
/// milliseconds of work.
pub const LIMIT: u64 = 150_000;
