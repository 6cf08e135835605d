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
    /// CPU time the thread used during the span, when the timeline measures
    /// it ([`Timeline::measuring_cpu`]) and the platform can tell.
    pub cpu: Option<Duration>,
}

/// Records spans relative to the moment it was created. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Timeline {
    t0: Instant,
    spans: Arc<Mutex<Vec<Span>>>,
    cpu: bool,
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
    cpu_start: Option<Duration>,
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        let end = self.timeline.t0.elapsed();
        let cpu = match (self.cpu_start, thread_cpu_time()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        self.timeline.spans.lock().unwrap().push(Span {
            lane: std::mem::take(&mut self.lane),
            thread: std::mem::take(&mut self.thread),
            start: self.start,
            end,
            cpu,
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

/// CPU time the current thread has used so far (Linux: from
/// `/proc/thread-self/schedstat`); `None` where the platform does not say.
pub fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// The runs a demo has drawn with [`Timeline::render_run`] so far: they go
/// into one SVG picture, on one time axis.
static RUNS: Mutex<Vec<(String, Vec<Span>)>> = Mutex::new(Vec::new());

impl Timeline {
    pub fn new() -> Self {
        Timeline {
            t0: Instant::now(),
            spans: Arc::default(),
            cpu: false,
        }
    }

    /// A timeline whose spans also record the CPU time their thread used
    /// (drawn as a second, dark bar under the span's bar).
    pub fn measuring_cpu() -> Self {
        Timeline {
            cpu: true,
            ..Self::new()
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
            cpu_start: if self.cpu { thread_cpu_time() } else { None },
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
        RUNS.lock().unwrap_or_else(|e| e.into_inner()).clear();
        write_svg(&[(String::new(), self.spans())]);
        self.render_text(width)
    }

    /// Like [`Timeline::render`], for a demo that compares runs: the SVG
    /// picture (when `WORKSHOP_TIMELINE_SVG` is set) shows this run, titled
    /// `caption`, under the runs rendered before it with `render_run`, all on
    /// one time axis, so the runs can be compared bar for bar.
    pub fn render_run(&self, caption: &str) -> String {
        let runs = {
            let mut runs = RUNS.lock().unwrap_or_else(|e| e.into_inner());
            runs.push((caption.to_string(), self.spans()));
            runs.clone()
        };
        write_svg(&runs);
        self.render_text(40)
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
            let cpu = s
                .cpu
                .map(|c| format!(", CPU {} ms", c.as_millis()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{:lane_w$}  {bar}  {:>4}-{:<4} ms  on {}{cpu}",
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
        svg::render(&[(String::new(), self.spans())], title, 0.0)
    }
}

/// Writes the picture of `runs` when `WORKSHOP_TIMELINE_SVG` asks for it.
fn write_svg(runs: &[(String, Vec<Span>)]) {
    let Some(path) = std::env::var_os(SVG_ENV) else {
        return;
    };
    let title = std::env::var(SVG_TITLE_ENV).unwrap_or_else(|_| default_title());
    let axis = std::env::var(SVG_AXIS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    if let Err(e) = std::fs::write(&path, svg::render(runs, &title, axis)) {
        eprintln!("timeline: cannot write {}: {e}", path.to_string_lossy());
    }
}

/// The environment variable that makes [`Timeline::render`] write SVG too.
pub const SVG_ENV: &str = "WORKSHOP_TIMELINE_SVG";
/// Optional title for that SVG; the default is the program's name.
pub const SVG_TITLE_ENV: &str = "WORKSHOP_TIMELINE_TITLE";
/// Optional length of the SVG's time axis in ms (at least the run's own
/// length): pictures drawn with the same value share one scale, so they can
/// be compared side by side (`scripts/timelines.sh` sets it per chapter).
pub const SVG_AXIS_ENV: &str = "WORKSHOP_TIMELINE_AXIS_MS";

fn default_title() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "timeline".to_string())
}

mod svg {
    //! The picture is 460 px wide and every text in it is 16 px, so on a
    //! phone (a 360 px column) it still renders at 12 px or more. A row's
    //! label goes beside its bar where it fits, else on a line of its own
    //! above the bar: long job names never push the chart off the picture.
    use super::Span;
    use std::fmt::Write;
    use std::time::Duration;

    /// Colour-blind friendly (Okabe-Ito), one per thread in order of first
    /// appearance.
    const COLOURS: [&str; 7] = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    ];
    const CPU_COLOUR: &str = "#222222";
    const WIDTH: f64 = 460.0;
    const LEFT: f64 = 14.0;
    const RIGHT: f64 = 22.0;
    const FONT: f64 = 16.0;
    /// A generous estimate of one character's width at 16 px (sans-serif;
    /// DejaVu Sans, the widest common one, averages about 9 px).
    const CHAR_W: f64 = 9.2;
    const BAR_H: f64 = 14.0;
    const CPU_H: f64 = 8.0;

    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    enum Place {
        After,
        Before,
        Above,
    }

    fn text_w(s: &str) -> f64 {
        s.chars().count() as f64 * CHAR_W
    }

    /// A round tick step (1, 2 or 5 times a power of ten) that gives at most
    /// 6 ticks over `total` ms (their labels must fit 16 px text side by side).
    pub(super) fn tick_step(total: f64) -> f64 {
        let mut magnitude = 1.0;
        loop {
            for m in [1.0, 2.0, 5.0] {
                let step = m * magnitude;
                if total / step <= 6.0 {
                    return step;
                }
            }
            magnitude *= 10.0;
        }
    }

    /// One picture of one or more runs (caption, spans), on one time axis of
    /// at least `axis_ms`.
    pub(super) fn render(runs: &[(String, Vec<Span>)], title: &str, axis_ms: f64) -> String {
        let all = || runs.iter().flat_map(|(_, s)| s.iter());
        let total = all().map(|s| ms(s.end)).fold(axis_ms, f64::max).max(1.0);
        let mut threads: Vec<&str> = Vec::new();
        for s in all() {
            if !threads.contains(&s.thread.as_str()) {
                threads.push(&s.thread);
            }
        }
        let colour = |t: &str| {
            let i = threads.iter().position(|x| *x == t).unwrap_or(0);
            COLOURS[i % COLOURS.len()]
        };
        let any_cpu = all().any(|s| s.cpu.is_some());
        let chart_w = WIDTH - LEFT - RIGHT;
        let x = |t: f64| LEFT + t / total * chart_w;
        let step = tick_step(total);

        // Everything but the frame, top to bottom; the height comes last.
        let mut body = String::new();
        let mut y = 30.0;
        let _ = writeln!(
            body,
            r##"<text x="{LEFT}" y="{y}" font-weight="bold" fill="#222">{}</text>"##,
            esc(title)
        );
        y += 12.0;
        for (caption, spans) in runs {
            if !caption.is_empty() {
                y += 24.0;
                let _ = writeln!(
                    body,
                    r##"<text x="{LEFT}" y="{y}" font-weight="bold" fill="#222">{}</text>"##,
                    esc(caption)
                );
                y += 4.0;
            }
            let top = y;
            // Each row: the label beside its bar where it fits (after the
            // bar, else before it), else on a line of its own above the bar.
            let layout: Vec<(Span, String, Place)> = spans
                .iter()
                .map(|s| {
                    let (a, b) = (ms(s.start), ms(s.end));
                    let mut range = if b - a < 1.0 {
                        format!("{a:.0} ms")
                    } else {
                        format!("{a:.0}–{b:.0} ms")
                    };
                    if let Some(c) = s.cpu {
                        let _ = write!(range, ", CPU {:.0} ms", ms(c));
                    }
                    let label = format!("{}  {range}", s.lane);
                    let w = text_w(&label);
                    let place = if x(b) + 8.0 + w <= WIDTH - 4.0 {
                        Place::After
                    } else if x(a) - 8.0 - w >= 4.0 {
                        Place::Before
                    } else {
                        Place::Above
                    };
                    (s.clone(), range, place)
                })
                .collect();
            let row_h = |s: &Span, p: &Place| {
                let h = if matches!(p, Place::Above) { 22.0 } else { 0.0 } + BAR_H + 12.0;
                h + if s.cpu.is_some() { CPU_H + 2.0 } else { 0.0 }
            };
            let rows: f64 = layout.iter().map(|(s, _, p)| row_h(s, p)).sum();
            // grid lines through this run's rows
            let mut t = 0.0;
            while t <= total + 1e-9 {
                let gx = x(t);
                let _ = writeln!(
                    body,
                    r##"<line x1="{gx:.1}" y1="{top:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#e4e4e4"/>"##,
                    top + rows
                );
                t += step;
            }
            for (s, range, place) in &layout {
                let (a, b) = (ms(s.start), ms(s.end));
                let bx = x(a);
                let bw = (x(b) - bx).max(2.0);
                let row_top = y;
                let bar_y = match place {
                    Place::Above => {
                        let label_y = y + 18.0;
                        let _ = writeln!(
                            body,
                            r##"<text x="{LEFT}" y="{label_y}" fill="#222">{}</text>"##,
                            esc(&s.lane)
                        );
                        if text_w(&s.lane) + 16.0 + text_w(range) <= chart_w {
                            let _ = writeln!(
                                body,
                                r##"<text x="{:.1}" y="{label_y}" text-anchor="end" fill="#555">{range}</text>"##,
                                WIDTH - RIGHT
                            );
                        }
                        y + 24.0
                    }
                    Place::After | Place::Before => {
                        let (tx, anchor) = match place {
                            Place::After => (bx + bw + 8.0, "start"),
                            _ => (bx - 8.0, "end"),
                        };
                        let _ = writeln!(
                            body,
                            r##"<text x="{tx:.1}" y="{:.1}" text-anchor="{anchor}" fill="#222">{}  <tspan fill="#555">{range}</tspan></text>"##,
                            y + 6.0 + BAR_H / 2.0 + 5.5,
                            esc(&s.lane)
                        );
                        y + 6.0
                    }
                };
                let _ = writeln!(
                    body,
                    r##"<rect x="{bx:.1}" y="{bar_y:.1}" width="{bw:.1}" height="{BAR_H}" rx="3" fill="{}"><title>{}: {range} on {}</title></rect>"##,
                    colour(&s.thread),
                    esc(&s.lane),
                    esc(&s.thread)
                );
                if let Some(c) = s.cpu {
                    let cw = (x(ms(c)) - LEFT).max(2.0);
                    let _ = writeln!(
                        body,
                        r##"<rect x="{bx:.1}" y="{:.1}" width="{cw:.1}" height="{CPU_H}" fill="{CPU_COLOUR}"><title>{}: CPU {:.0} ms</title></rect>"##,
                        bar_y + BAR_H + 2.0,
                        esc(&s.lane),
                        ms(c)
                    );
                }
                y = row_top + row_h(s, place);
            }
        }
        // the shared axis
        y += 2.0;
        let _ = writeln!(
            body,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#888"/>"##,
            WIDTH - RIGHT
        );
        let mut t = 0.0;
        while t <= total + 1e-9 {
            let gx = x(t);
            let label = format!("{}", t as u64);
            let anchor = if gx + text_w(&label) / 2.0 > WIDTH - 2.0 {
                "end"
            } else if gx - text_w(&label) / 2.0 < 2.0 {
                "start"
            } else {
                "middle"
            };
            let _ = writeln!(
                body,
                r##"<line x1="{gx:.1}" y1="{y:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#888"/><text x="{gx:.1}" y="{:.1}" text-anchor="{anchor}" fill="#555">{label}</text>"##,
                y + 5.0,
                y + 22.0
            );
            t += step;
        }
        y += 44.0;
        let _ = writeln!(
            body,
            r##"<text x="{:.1}" y="{y:.1}" text-anchor="end" fill="#555">time (ms)</text>"##,
            WIDTH - RIGHT
        );
        // legend: the threads (and the CPU bar), wrapped to the width
        let mut items: Vec<(String, &str, f64)> = threads
            .iter()
            .map(|t| (t.to_string(), colour(t), 10.0))
            .collect();
        if any_cpu {
            items.push(("CPU time used".to_string(), CPU_COLOUR, CPU_H));
        }
        y += 26.0;
        let _ = writeln!(
            body,
            r##"<text x="{LEFT}" y="{y:.1}" fill="#555">thread:</text>"##
        );
        let mut lx = LEFT + text_w("thread:") + 8.0;
        for (label, fill, h) in items {
            let w = 22.0 + text_w(&label) + 14.0;
            if lx + w > WIDTH - RIGHT + 14.0 && lx > LEFT + 80.0 {
                y += 24.0;
                lx = LEFT + text_w("thread:") + 8.0;
            }
            let _ = writeln!(
                body,
                r##"<rect x="{lx:.1}" y="{:.1}" width="16" height="{h}" rx="2" fill="{fill}"/><text x="{:.1}" y="{y:.1}" fill="#222">{}</text>"##,
                y - 5.0 - h / 2.0,
                lx + 22.0,
                esc(&label)
            );
            lx += w;
        }
        let height = y + 14.0;

        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0} {height:.0}" width="{WIDTH:.0}" height="{height:.0}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="{FONT}" role="img" aria-labelledby="title desc" data-axis-ms="{total:.0}">"#
        );
        let _ = writeln!(o, r#"<title id="title">Timeline: {}</title>"#, esc(title));
        let _ = writeln!(
            o,
            r#"<desc id="desc">One bar per job, from when it started to when it ended (axis: {total:.0} ms); the colour is the thread it ran on{}. Generated from a real run by scripts/timelines.sh.</desc>"#,
            if any_cpu {
                "; the dark bar under it is the CPU time that thread used meanwhile"
            } else {
                ""
            }
        );
        let _ = writeln!(
            o,
            r##"<rect x="0" y="0" width="{WIDTH:.0}" height="{height:.0}" fill="#ffffff"/>"##
        );
        o.push_str(&body);
        o.push_str("</svg>\n");
        o
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn span(lane: &str, thread: &str, a: u64, b: u64) -> Span {
            Span {
                lane: lane.into(),
                thread: thread.into(),
                start: Duration::from_millis(a),
                end: Duration::from_millis(b),
                cpu: None,
            }
        }

        #[test]
        fn ticks_are_round() {
            assert_eq!(tick_step(6.0), 1.0);
            assert_eq!(tick_step(45.0), 10.0);
            assert_eq!(tick_step(1200.0), 200.0);
            assert_eq!(tick_step(2500.0), 500.0);
        }

        #[test]
        fn one_colour_per_thread_and_escaped_labels() {
            let svg = render(
                &[(
                    String::new(),
                    vec![span("A<1>", "main", 0, 300), span("B", "t2", 100, 400)],
                )],
                "demo & co",
                0.0,
            );
            assert!(svg.starts_with("<svg"));
            assert!(svg.contains("A&lt;1&gt;") && svg.contains("demo &amp; co"));
            assert!(svg.contains(COLOURS[0]) && svg.contains(COLOURS[1]));
            assert!(svg.trim_end().ends_with("</svg>"));
        }

        #[test]
        fn runs_share_one_axis() {
            let runs = [
                ("slow".to_string(), vec![span("A", "main", 0, 1200)]),
                ("fast".to_string(), vec![span("A", "main", 0, 300)]),
            ];
            let svg = render(&runs, "two runs", 0.0);
            assert!(svg.contains("data-axis-ms=\"1200\""));
            assert!(svg.contains(">slow<") && svg.contains(">fast<"));
            // 300 ms of 1200 is a quarter of the chart's width
            let w = (WIDTH - LEFT - RIGHT) / 4.0;
            assert!(svg.contains(&format!("width=\"{w:.1}\"")), "{svg}");
            let wide = render(
                &[(String::new(), vec![span("A", "main", 0, 300)])],
                "t",
                1200.0,
            );
            assert!(wide.contains("data-axis-ms=\"1200\""));
        }

        #[test]
        fn cpu_bar_and_legend() {
            let mut s = span("spin", "main", 0, 200);
            s.cpu = Some(Duration::from_millis(200));
            let svg = render(&[(String::new(), vec![s])], "cpu", 0.0);
            assert!(svg.contains("CPU 200 ms") && svg.contains("CPU time used"));
        }
    }
}
