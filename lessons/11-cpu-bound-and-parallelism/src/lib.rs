//! Lesson 11 demos share this: a deliberately slow checksum (the stand-in
//! for any CPU-heavy job), some bytes to feed it, and the timeline recorder
//! from the test kit.

use std::time::Duration;

pub use testkit::timeline::{Timeline, thread_label};

/// How many mixing rounds [`Checksum`] spends on every byte (the same
/// checksum as in the exercises).
pub const ROUNDS: u32 = 32;

/// A deliberately slow checksum that can be fed in pieces.
#[derive(Clone, Debug)]
pub struct Checksum(u64);

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

impl Checksum {
    pub const fn new() -> Self {
        Checksum(0xcbf2_9ce4_8422_2325)
    }

    /// Mixes `bytes` in: pure CPU work, no I/O, no waiting.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let mut x = self.0 ^ u64::from(b);
            for _ in 0..ROUNDS {
                x = x.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(7);
            }
            self.0 = x;
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The checksum of `data` in one go.
pub fn checksum(data: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(data);
    sum.finish()
}

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
