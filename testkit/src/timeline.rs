//! A small recorder for the lesson demos: which job ran when, on which
//! thread, drawn as a text timeline (and as SVG for the book).
//!
//! When the environment variable `WORKSHOP_TIMELINE_SVG` names a file,
//! [`Timeline::render`] (and [`Timeline::render_width`]) also write the chart
//! there as an SVG picture. `scripts/timelines.sh` uses this to draw the
//! book's timelines from real runs of the demos.
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
    ///
    /// When `WORKSHOP_TIMELINE_SVG` is set, the same chart is also written to
    /// that path as SVG (see [`Timeline::render_svg`]); a file that cannot be
    /// written is reported on stderr, and the text chart is returned anyway.
    pub fn render_width(&self, width: usize) -> String {
        if let Some(path) = std::env::var_os(SVG_ENV) {
            let title = std::env::var(SVG_TITLE_ENV).unwrap_or_else(|_| default_title());
            if let Err(e) = std::fs::write(&path, self.render_svg(&title)) {
                eprintln!("timeline: cannot write {}: {e}", path.to_string_lossy());
            }
        }
        self.render_text(width)
    }

    fn render_text(&self, width: usize) -> String {
        let width = width.max(3);
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

    /// The chart as a standalone SVG picture: one row per span, a time axis
    /// in milliseconds, and one colour per thread (with a legend), so a reader
    /// sees at a glance which job ran when, and on which thread.
    pub fn render_svg(&self, title: &str) -> String {
        svg::render(&self.spans(), title)
    }
}

/// The environment variable that makes [`Timeline::render`] write SVG too.
pub const SVG_ENV: &str = "WORKSHOP_TIMELINE_SVG";
/// Optional title for that SVG; the default is the program's name.
pub const SVG_TITLE_ENV: &str = "WORKSHOP_TIMELINE_TITLE";

fn default_title() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "timeline".to_string())
}

mod svg {
    use super::Span;
    use std::fmt::Write;
    use std::time::Duration;

    /// Colour-blind friendly (Okabe-Ito), one per thread in order of first
    /// appearance.
    const COLOURS: [&str; 8] = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    ];
    const ROW_H: f64 = 26.0;
    const BAR_H: f64 = 16.0;
    const CHART_W: f64 = 560.0;
    const CHAR_W: f64 = 7.2;

    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    /// A round tick step (1, 2 or 5 times a power of ten) that gives at most
    /// 10 ticks over `total` ms.
    fn tick_step(total: f64) -> f64 {
        let mut magnitude = 1.0;
        loop {
            for m in [1.0, 2.0, 5.0] {
                let step = m * magnitude;
                if total / step <= 10.0 {
                    return step;
                }
            }
            magnitude *= 10.0;
        }
    }

    pub(super) fn render(spans: &[Span], title: &str) -> String {
        let total = spans.iter().map(|s| ms(s.end)).fold(0.0, f64::max).max(1.0);
        let mut threads: Vec<&str> = Vec::new();
        for s in spans {
            if !threads.contains(&s.thread.as_str()) {
                threads.push(&s.thread);
            }
        }
        let colour = |t: &str| {
            let i = threads.iter().position(|x| *x == t).unwrap_or(0);
            COLOURS[i % COLOURS.len()]
        };
        let label_w = spans
            .iter()
            .map(|s| s.lane.chars().count())
            .max()
            .unwrap_or(3)
            .max(3) as f64
            * CHAR_W
            + 16.0;
        let left = 12.0 + label_w;
        let top = 48.0;
        let rows = spans.len().max(1) as f64;
        let axis_y = top + rows * ROW_H + 4.0;
        let legend_y = axis_y + 38.0;
        let legend_rows = threads.len().max(1).div_ceil(3) as f64;
        let width = left + CHART_W + 24.0;
        let height = legend_y + legend_rows * 20.0 + 8.0;
        let x = |t: f64| left + t / total * CHART_W;

        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="12" role="img" aria-labelledby="title desc">"#
        );
        let _ = writeln!(o, r#"<title id="title">Timeline: {}</title>"#, esc(title));
        let _ = writeln!(
            o,
            r#"<desc id="desc">One bar per job, from when it started to when it ended ({:.0} ms in all); the colour is the thread it ran on. Generated from a real run by scripts/timelines.sh.</desc>"#,
            total
        );
        let _ = writeln!(
            o,
            r##"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="#ffffff"/>"##
        );
        let _ = writeln!(
            o,
            r##"<text x="12" y="22" font-size="14" font-weight="bold" fill="#222">{}</text>"##,
            esc(title)
        );
        let _ = writeln!(o, r##"<text x="{left:.1}" y="40" fill="#555">job</text>"##);
        // grid and ticks
        let step = tick_step(total);
        let mut t = 0.0;
        while t <= total + 1e-9 {
            let gx = x(t);
            let _ = writeln!(
                o,
                r##"<line x1="{gx:.1}" y1="{top:.1}" x2="{gx:.1}" y2="{axis_y:.1}" stroke="#e4e4e4"/>"##
            );
            let _ = writeln!(
                o,
                r##"<text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
                axis_y + 16.0,
                t as u64
            );
            t += step;
        }
        let _ = writeln!(
            o,
            r##"<line x1="{left:.1}" y1="{axis_y:.1}" x2="{:.1}" y2="{axis_y:.1}" stroke="#888"/>"##,
            left + CHART_W
        );
        let _ = writeln!(
            o,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">time (ms)</text>"##,
            left + CHART_W,
            axis_y + 30.0
        );
        for (i, s) in spans.iter().enumerate() {
            let y = top + i as f64 * ROW_H;
            let (a, b) = (ms(s.start), ms(s.end));
            let bx = x(a);
            let bw = (x(b) - bx).max(2.0);
            let _ = writeln!(
                o,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{}</text>"##,
                left - 8.0,
                y + BAR_H / 2.0 + 8.0,
                esc(&s.lane)
            );
            let _ = writeln!(
                o,
                r##"<rect x="{bx:.1}" y="{:.1}" width="{bw:.1}" height="{BAR_H}" rx="3" fill="{}"><title>{}: {:.0}-{:.0} ms on {}</title></rect>"##,
                y + 4.0,
                colour(&s.thread),
                esc(&s.lane),
                a,
                b,
                esc(&s.thread)
            );
        }
        let _ = writeln!(
            o,
            r##"<text x="12" y="{:.1}" fill="#555">thread:</text>"##,
            legend_y + 4.0
        );
        for (i, t) in threads.iter().enumerate() {
            let lx = 72.0 + (i % 3) as f64 * 200.0;
            let ly = legend_y + (i / 3) as f64 * 20.0;
            let _ = writeln!(
                o,
                r##"<rect x="{lx:.1}" y="{:.1}" width="14" height="10" rx="2" fill="{}"/><text x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
                ly - 5.0,
                colour(t),
                lx + 20.0,
                ly + 4.0,
                esc(t)
            );
        }
        o.push_str("</svg>\n");
        o
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn ticks_are_round() {
            assert_eq!(tick_step(8.0), 1.0);
            assert_eq!(tick_step(45.0), 5.0);
            assert_eq!(tick_step(1200.0), 200.0);
            assert_eq!(tick_step(2500.0), 500.0);
        }

        #[test]
        fn one_colour_per_thread_and_escaped_labels() {
            let span = |lane: &str, thread: &str, a: u64, b: u64| Span {
                lane: lane.into(),
                thread: thread.into(),
                start: Duration::from_millis(a),
                end: Duration::from_millis(b),
            };
            let svg = render(
                &[span("A<1>", "main", 0, 300), span("B", "t2", 100, 400)],
                "demo & co",
            );
            assert!(svg.starts_with("<svg"));
            assert!(svg.contains("A&lt;1&gt;") && svg.contains("demo &amp; co"));
            assert!(svg.contains(COLOURS[0]) && svg.contains(COLOURS[1]));
            assert!(svg.trim_end().ends_with("</svg>"));
        }
    }
}
