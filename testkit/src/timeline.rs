//! A small recorder for the lesson demos: which job ran when, on which
//! thread, drawn as a text timeline.
//!
//! ```
//! let tl = testkit::timeline::Timeline::new();
//! {
//!     let _job = tl.span("A");
//! }
//! assert!(tl.render().contains("A"));
//! ```

use std::fmt::Write;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One job's bar on the timeline.
#[derive(Clone, Debug)]
pub struct Span {
    pub lane: String,
    pub thread: String,
    pub start: Duration,
    pub end: Duration,
}

/// Records spans relative to the moment it was created. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Timeline {
    t0: Instant,
    spans: Arc<Mutex<Vec<Span>>>,
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

/// Ends its span when dropped.
pub struct SpanGuard {
    timeline: Timeline,
    lane: String,
    thread: String,
    start: Duration,
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        let end = self.timeline.t0.elapsed();
        self.timeline.spans.lock().unwrap().push(Span {
            lane: std::mem::take(&mut self.lane),
            thread: std::mem::take(&mut self.thread),
            start: self.start,
            end,
        });
    }
}

/// The current thread's name, or its id when it has none.
pub fn thread_label() -> String {
    let t = std::thread::current();
    match t.name() {
        Some(n) => n.to_string(),
        None => format!("{:?}", t.id()),
    }
}

impl Timeline {
    pub fn new() -> Self {
        Timeline {
            t0: Instant::now(),
            spans: Arc::default(),
        }
    }

    /// Starts a span on `lane` now, on this thread; it ends when the guard
    /// drops.
    pub fn span(&self, lane: &str) -> SpanGuard {
        SpanGuard {
            timeline: self.clone(),
            lane: lane.to_string(),
            thread: thread_label(),
            start: self.t0.elapsed(),
        }
    }

    /// Runs `fut` as one span on `lane`.
    pub async fn record<F: Future>(&self, lane: &str, fut: F) -> F::Output {
        let _g = self.span(lane);
        fut.await
    }

    /// The recorded spans, in the order they started.
    pub fn spans(&self) -> Vec<Span> {
        let mut v = self.spans.lock().unwrap().clone();
        v.sort_by_key(|s| s.start);
        v
    }

    /// A text chart, one row per span, `width` columns for the whole run.
    pub fn render_width(&self, width: usize) -> String {
        let spans = self.spans();
        let total = spans.iter().map(|s| s.end).max().unwrap_or_default();
        let total_ns = total.as_nanos().max(1);
        let col = |d: Duration| ((d.as_nanos() * width as u128) / total_ns) as usize;
        let lane_w = spans.iter().map(|s| s.lane.len()).max().unwrap_or(4).max(4);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:lane_w$}  0 ms{:>w$}",
            "job",
            format!("{} ms", total.as_millis()),
            w = width - 2
        );
        for s in &spans {
            let (a, b) = (col(s.start), col(s.end).max(col(s.start) + 1).min(width));
            let bar: String = (0..width)
                .map(|i| if i >= a && i < b { '#' } else { '.' })
                .collect();
            let _ = writeln!(
                out,
                "{:lane_w$}  {bar}  {:>4}-{:<4} ms  on {}",
                s.lane,
                s.start.as_millis(),
                s.end.as_millis(),
                s.thread
            );
        }
        out
    }

    /// [`Timeline::render_width`] with 40 columns.
    pub fn render(&self) -> String {
        self.render_width(40)
    }
}
