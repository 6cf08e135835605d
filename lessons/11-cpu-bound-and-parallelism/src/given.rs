//! Given code: a deliberately slow checksum (the stand-in for any CPU-heavy
//! job), shared by the demos and the exercises, and what the exercise
//! `parallel_sum` returns. The exercise and the solution re-export them.

use std::thread::ThreadId;

/// How many mixing rounds [`Checksum`] spends on every byte: enough to make
/// a few megabytes take a noticeable while, so it stands in for any
/// CPU-heavy job (hashing passwords, compressing, resizing an image).
pub const ROUNDS: u32 = 32;

// ANCHOR: checksum
/// A deliberately slow checksum that can be fed in pieces: feeding `data`
/// in one `update` or in many slices gives the same result.
#[derive(Clone, Debug)]
pub struct Checksum(u64);

impl Checksum {
    pub const fn new() -> Self {
        Checksum(0xcbf2_9ce4_8422_2325)
    }

    /// Mixes `bytes` into the checksum. Pure CPU work: no I/O, no waiting.
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
// ANCHOR_END: checksum

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

/// What the exercise `parallel_sum` hands back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summed {
    /// The sum of `work(chunk)` over all chunks.
    pub total: u64,
    /// `ran_on[i]` is the thread that ran `work(&chunks[i])`.
    pub ran_on: Vec<ThreadId>,
}
