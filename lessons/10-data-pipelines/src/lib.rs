//! Lesson 10 demos share this: a gauge that counts items between two points
//! of a pipeline, a scratch directory for files, and the timeline recorder
//! from the test kit. What the exercise `count_words` returns ([`Counts`])
//! is given here too.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use testkit::timeline::Timeline;

mod given;
pub use given::Counts;

/// `n` milliseconds.
pub const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ANCHOR: gauge
/// Counts the items that entered a pipeline and the items that left it;
/// the difference is what the pipeline holds in memory right now.
#[derive(Clone, Default)]
pub struct Gauge(Arc<GaugeInner>);

#[derive(Default)]
pub struct GaugeInner {
    entered: AtomicUsize,
    left: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    pub fn new() -> Self {
        Self::default()
    }
    /// One more item entered (was produced).
    pub fn enter(&self) {
        let now = self.0.entered.fetch_add(1, Ordering::SeqCst) + 1;
        let inside = now - self.0.left.load(Ordering::SeqCst);
        self.0.most.fetch_max(inside, Ordering::SeqCst);
    }
    /// One item left (was consumed).
    pub fn leave(&self) {
        self.0.left.fetch_add(1, Ordering::SeqCst);
    }
    pub fn entered(&self) -> usize {
        self.0.entered.load(Ordering::SeqCst)
    }
    pub fn left(&self) -> usize {
        self.0.left.load(Ordering::SeqCst)
    }
    /// The most items that were ever inside at once.
    pub fn most(&self) -> usize {
        self.0.most.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: gauge

/// A fresh directory under the system temp dir; removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> std::io::Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("lesson10-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
