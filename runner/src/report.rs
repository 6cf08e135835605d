//! `cargo workshop report` and `report --merge`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::Ctx;
use crate::progress::{self, known};
use crate::util::{self, Style};

pub const FORMAT: &str = "workshop-report/1";

#[derive(Serialize, Deserialize)]
pub struct LearnerReport {
    pub format: String,
    pub learner: String,
    pub workshop: String,
    pub generated_at: String,
    pub solved: usize,
    pub total: usize,
    pub lessons: Vec<LessonReport>,
}

#[derive(Serialize, Deserialize)]
pub struct LessonReport {
    pub number: u32,
    pub slug: String,
    pub title: String,
    pub exercises: Vec<ExerciseReport>,
}

#[derive(Serialize, Deserialize)]
pub struct ExerciseReport {
    pub name: String,
    /// solved, failing, not_started, compile_error or unknown
    pub status: String,
    pub hints_revealed: usize,
    pub checked_at: Option<String>,
}

fn learner_name(given: Option<String>) -> String {
    given
        .or_else(|| std::env::var("WORKSHOP_NAME").ok())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "learner".to_string())
}

/// A name that is safe in a file name.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub fn write(ctx: &Ctx, name: Option<String>, output: Option<PathBuf>) -> Result<i32> {
    let learner = learner_name(name);
    let mut state = progress::load_state(ctx, true)?;
    progress::refresh_stale(ctx, &mut state, true)?;
    let mut solved = 0;
    let mut lessons = Vec::new();
    for l in &ctx.manifest.lessons {
        let mut exercises = Vec::new();
        for e in &l.exercises {
            let k = known(ctx, &state, l, &e.name);
            let st = state
                .lesson(&l.slug)
                .and_then(|ls| ls.exercises.get(&e.name));
            let status = match k.status {
                Some(s) if !k.stale => s.key().to_string(),
                _ => "unknown".to_string(),
            };
            if status == "solved" {
                solved += 1;
            }
            exercises.push(ExerciseReport {
                name: e.name.clone(),
                status,
                hints_revealed: st.map_or(0, |s| s.hints_revealed),
                checked_at: st.and_then(|s| s.checked_at.clone()),
            });
        }
        lessons.push(LessonReport {
            number: l.number,
            slug: l.slug.clone(),
            title: l.title.clone(),
            exercises,
        });
    }
    let report = LearnerReport {
        format: FORMAT.to_string(),
        learner: learner.clone(),
        workshop: ctx.manifest.workshop.title.clone(),
        generated_at: util::rfc3339(util::now_secs()),
        solved,
        total: ctx.manifest.total_exercises(),
        lessons,
    };
    let mut json = serde_json::to_string_pretty(&report)?;
    json.push('\n');
    match output {
        Some(p) if p.as_os_str() == "-" => print!("{json}"),
        other => {
            let path = other.unwrap_or_else(|| {
                ctx.root
                    .join(".workshop")
                    .join(format!("report-{}.json", file_safe(&learner)))
            });
            util::write_atomic(&path, json.as_bytes())?;
            println!(
                "Wrote your progress ({solved}/{} solved) to {}",
                report.total,
                path.display()
            );
            println!("Send that file to your instructor.");
        }
    }
    Ok(0)
}

fn short(status: &str) -> &'static str {
    match status {
        "solved" => "✓",
        "failing" => "✗",
        "compile_error" => "!",
        "not_started" => "·",
        _ => "?",
    }
}

pub fn merge(files: &[PathBuf], csv: Option<&Path>, style: Style) -> Result<i32> {
    let mut reports: Vec<LearnerReport> = Vec::new();
    for f in files {
        let parsed = std::fs::read(f)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<LearnerReport>(&b).map_err(|e| e.to_string()));
        match parsed {
            Ok(r) => reports.push(r),
            Err(e) => eprintln!(
                "{} skipped {} ({e}); ask that learner to run `cargo workshop report` again.",
                style.yellow("warning:"),
                f.display()
            ),
        }
    }
    if reports.is_empty() {
        bail!(
            "none of the given files is a workshop report; pass the .json files that `cargo workshop report` wrote."
        );
    }
    // One row per learner: the latest report wins.
    let before = reports.len();
    reports.sort_by(|a, b| {
        a.learner
            .cmp(&b.learner)
            .then(b.generated_at.cmp(&a.generated_at))
    });
    reports.dedup_by(|later, kept| later.learner == kept.learner);
    let older = before - reports.len();
    let (columns, csv_text) = class_csv(&reports);
    let total: usize = columns.values().map(Vec::len).sum();
    if csv.is_some_and(|p| p.as_os_str() == "-") {
        print!("{csv_text}");
        return Ok(0);
    }
    // Written before anything is printed, so `... | head` (which may end
    // this process at the first write after it quits) cannot lose it.
    let csv_path = match csv {
        Some(p) => p.to_path_buf(),
        None => default_csv_path(),
    };
    util::write_atomic(&csv_path, csv_text.as_bytes())?;

    // The table: one row per learner, one column per lesson.
    let name_w = reports
        .iter()
        .map(|r| r.learner.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut header = format!("{:name_w$}", "learner");
    for ((n, _), exs) in &columns {
        header.push_str(&format!("  {:w$}", format!("{n:02}"), w = exs.len().max(2)));
    }
    header.push_str("  solved");
    println!("{}", style.bold(&header));
    for r in &reports {
        let mut row = format!("{:name_w$}", r.learner);
        let mut solved = 0;
        for ((_, slug), exs) in &columns {
            let mut cell = String::new();
            for e in exs {
                let st = status_of(r, slug, e);
                if st == "solved" {
                    solved += 1;
                }
                cell.push_str(short(&st));
            }
            let pad = exs.len().max(2) - exs.len();
            row.push_str(&format!("  {cell}{}", " ".repeat(pad)));
        }
        row.push_str(&format!("  {solved}/{total}"));
        println!("{row}");
    }
    println!();
    println!("✓ solved  ✗ failing  ! does not compile  · not started  ? unknown");
    for ((n, slug), exs) in &columns {
        let names: Vec<String> = exs
            .iter()
            .map(|e| {
                let who = reports
                    .iter()
                    .filter(|r| status_of(r, slug, e) == "solved")
                    .count();
                format!("{e} {who}/{}", reports.len())
            })
            .collect();
        println!("  {n:02} {slug}: {}", names.join(", "));
    }
    println!();
    if older > 0 {
        println!(
            "{older} older report(s) of a learner who sent several were left out: the latest report of each learner counts (its time is in the CSV's report_generated_at column)."
        );
    }
    println!("CSV for a spreadsheet: {}", csv_path.display());
    Ok(0)
}

/// Where the class CSV goes without `--out`: inside the workshop folder
/// (when run in one) under `.workshop/`, which git ignores; else the
/// current folder.
fn default_csv_path() -> PathBuf {
    let name = "workshop-class.csv";
    std::env::current_dir()
        .ok()
        .and_then(|cwd| util::find_root(&cwd))
        .map(|root| root.join(".workshop").join(name))
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Columns (every (lesson, exercise) seen, in lesson order) and the class
/// CSV: one row per learner, one column per exercise. `report --merge` and
/// the live class board write the same CSV.
pub type Columns = BTreeMap<(u32, String), Vec<String>>;

pub fn class_csv(reports: &[LearnerReport]) -> (Columns, String) {
    // Columns: every (lesson, exercise) seen, in lesson order.
    let mut columns: BTreeMap<(u32, String), Vec<String>> = BTreeMap::new();
    for r in reports {
        for l in &r.lessons {
            let cols = columns.entry((l.number, l.slug.clone())).or_default();
            for e in &l.exercises {
                if !cols.contains(&e.name) {
                    cols.push(e.name.clone());
                }
            }
        }
    }
    let total: usize = columns.values().map(Vec::len).sum();

    // CSV: one row per learner, one column per exercise.
    let mut csv_text = String::from("learner,solved,total,report_generated_at");
    for ((n, slug), exs) in &columns {
        for e in exs {
            csv_text.push_str(&format!(",{n:02}-{slug}/{e}"));
        }
    }
    csv_text.push('\n');
    for r in reports {
        let solved = columns
            .iter()
            .flat_map(|((_, slug), exs)| exs.iter().map(move |e| (slug, e)))
            .filter(|(slug, e)| status_of(r, slug, e) == "solved")
            .count();
        csv_text.push_str(&format!(
            "{},{solved},{total},{}",
            csv_field(&r.learner),
            csv_field(&r.generated_at)
        ));
        for ((_, slug), exs) in &columns {
            for e in exs {
                csv_text.push_str(&format!(",{}", status_of(r, slug, e)));
            }
        }
        csv_text.push('\n');
    }
    (columns, csv_text)
}

fn status_of(r: &LearnerReport, slug: &str, ex: &str) -> String {
    r.lessons
        .iter()
        .find(|l| l.slug == slug)
        .and_then(|l| l.exercises.iter().find(|e| e.name == ex))
        .map_or("unknown".to_string(), |e| e.status.clone())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
