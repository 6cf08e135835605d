//! The class as the server keeps it, and the messages of the API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{ExerciseReport, LearnerReport, LessonReport};

/// Limits on what a request may carry.
pub const MAX_BODY: usize = 64 * 1024;
pub const MAX_NAME: usize = 40;
const MAX_FIELD: usize = 200;
const MAX_EXERCISES: usize = 1000;
pub const STATUSES: [&str; 5] = [
    "solved",
    "failing",
    "not_started",
    "compile_error",
    "unknown",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub lesson: u32,
    pub slug: String,
    pub exercise: String,
}

#[derive(Debug, Deserialize)]
pub struct Join {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub lesson: u32,
    pub slug: String,
    pub exercise: String,
    pub status: String,
    #[serde(default)]
    pub failing_check: Option<String>,
    #[serde(default)]
    pub hints: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Progress {
    pub token: String,
    #[serde(default)]
    pub current_lesson: Option<u32>,
    #[serde(default)]
    pub exercises: Vec<ExerciseProgress>,
    /// The learner's own counter, echoed on the board (the load test uses
    /// it to time updates).
    #[serde(default)]
    pub seq: u64,
}

impl Progress {
    /// Why this update cannot be stored, if it cannot.
    pub fn invalid(&self) -> Option<String> {
        if self.exercises.len() > MAX_EXERCISES {
            return Some(format!("at most {MAX_EXERCISES} exercises per update"));
        }
        for e in &self.exercises {
            if !STATUSES.contains(&e.status.as_str()) {
                return Some(format!(
                    "unknown status {:?}; one of {}",
                    e.status,
                    STATUSES.join(", ")
                ));
            }
            let long = [&e.slug, &e.exercise]
                .into_iter()
                .chain(e.failing_check.as_ref())
                .any(|f| f.chars().count() > MAX_FIELD);
            if long {
                return Some(format!("a field is longer than {MAX_FIELD} characters"));
            }
        }
        None
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cell {
    pub status: String,
    pub failing_check: Option<String>,
    pub hints: usize,
    /// Since when (Unix seconds) this exercise fails with this same check.
    pub failing_since: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Learner {
    pub name: String,
    pub token: String,
    pub joined_at: u64,
    pub last_update: u64,
    /// The last time an exercise turned solved.
    pub last_pass_at: Option<u64>,
    pub current_lesson: Option<u32>,
    pub updates: u64,
    pub seq: u64,
    /// By `NN-slug/exercise`.
    pub cells: BTreeMap<String, Cell>,
}

/// Everything the server remembers (and saves to its state file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Class {
    pub code: String,
    /// By token.
    pub learners: BTreeMap<String, Learner>,
}

/// One letter per status in the board's `status` strings (a row of 54
/// exercises is 54 letters, so 200 learners are a small event).
pub fn letter(status: &str) -> char {
    match status {
        "solved" => 's',
        "failing" => 'f',
        "compile_error" => 'c',
        "not_started" => 'n',
        _ => 'u',
    }
}

pub fn cell_key(lesson: u32, slug: &str, exercise: &str) -> String {
    format!("{lesson:02}-{slug}/{exercise}")
}

impl Class {
    /// Stores a learner's update; `false` when the token is unknown.
    pub fn apply(&mut self, p: &Progress, now: u64) -> bool {
        let Some(l) = self.learners.get_mut(&p.token) else {
            return false;
        };
        l.last_update = now;
        l.updates += 1;
        l.seq = p.seq;
        if p.current_lesson.is_some() {
            l.current_lesson = p.current_lesson;
        }
        for e in &p.exercises {
            let key = cell_key(e.lesson, &e.slug, &e.exercise);
            let cell = l.cells.entry(key).or_default();
            if e.status == "solved" && cell.status != "solved" {
                l.last_pass_at = Some(now);
            }
            let failing = e.status == "failing" || e.status == "compile_error";
            cell.failing_since = match (failing, cell.failing_since) {
                (true, Some(since)) if cell.failing_check == e.failing_check => Some(since),
                (true, _) => Some(now),
                (false, _) => None,
            };
            cell.status = e.status.clone();
            cell.failing_check = e.failing_check.clone();
            cell.hints = e.hints;
        }
        true
    }

    /// The board: what `GET /api/class` and every event carry.
    pub fn table(&self, columns: &[Column], stuck_minutes: u64, now: u64) -> serde_json::Value {
        let stuck_after = stuck_minutes * 60;
        let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
        let mut learners: Vec<&Learner> = self.learners.values().collect();
        learners.sort_by(|a, b| a.name.cmp(&b.name).then(a.joined_at.cmp(&b.joined_at)));
        let rows: Vec<serde_json::Value> = learners
            .iter()
            .map(|l| {
                let mut stuck_on = Vec::new();
                let mut stuck = Vec::new();
                let mut letters = String::with_capacity(columns.len());
                let mut hints = Vec::with_capacity(columns.len());
                let mut failing = serde_json::Map::new();
                for (i, c) in columns.iter().enumerate() {
                    let key = cell_key(c.lesson, &c.slug, &c.exercise);
                    let cell = l.cells.get(&key);
                    let status = cell.map_or("unknown", |c| c.status.as_str());
                    letters.push(letter(status));
                    hints.push(cell.map_or(0, |c| c.hints));
                    let Some(cell) = cell else { continue };
                    if let (Some(check), Some(since)) = (&cell.failing_check, cell.failing_since) {
                        *histogram.entry(check.clone()).or_default() += 1;
                        failing.insert(i.to_string(), check.clone().into());
                        if now.saturating_sub(since) >= stuck_after {
                            stuck_on.push(c.exercise.clone());
                            stuck.push(i);
                        }
                    }
                }
                let solved = letters.chars().filter(|c| *c == 's').count();
                serde_json::json!({
                    "name": l.name,
                    "current_lesson": l.current_lesson,
                    "since_last_pass_secs": l.last_pass_at.map(|t| now.saturating_sub(t)),
                    "last_update_secs": now.saturating_sub(l.last_update),
                    "updates": l.updates,
                    "seq": l.seq,
                    "solved": solved,
                    "stuck_on": stuck_on,
                    "status": letters,
                    "hints": hints,
                    "stuck": stuck,
                    "failing": failing,
                })
            })
            .collect();
        let mut hist: Vec<(String, usize)> = histogram.into_iter().collect();
        hist.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        serde_json::json!({
            "now": now,
            "stuck_minutes": stuck_minutes,
            "columns": columns,
            "learners": rows,
            "letters": {"s": "solved", "f": "failing", "c": "compile_error", "n": "not_started", "u": "unknown"},
            "histogram": hist.iter().map(|(c, n)| serde_json::json!({"check": c, "failing": n})).collect::<Vec<_>>(),
        })
    }

    /// The class as `report --merge` sees it, for the same CSV.
    pub fn reports(&self, columns: &[Column]) -> Vec<LearnerReport> {
        let mut learners: Vec<&Learner> = self.learners.values().collect();
        learners.sort_by(|a, b| a.name.cmp(&b.name).then(a.joined_at.cmp(&b.joined_at)));
        learners
            .iter()
            .map(|l| {
                let mut lessons: Vec<LessonReport> = Vec::new();
                for c in columns {
                    if lessons.last().is_none_or(|x| x.number != c.lesson) {
                        lessons.push(LessonReport {
                            number: c.lesson,
                            slug: c.slug.clone(),
                            title: String::new(),
                            exercises: Vec::new(),
                        });
                    }
                    let cell = l.cells.get(&cell_key(c.lesson, &c.slug, &c.exercise));
                    if let Some(last) = lessons.last_mut() {
                        last.exercises.push(ExerciseReport {
                            name: c.exercise.clone(),
                            status: cell.map_or("unknown".into(), |c| c.status.clone()),
                            hints_revealed: cell.map_or(0, |c| c.hints),
                            checked_at: None,
                        });
                    }
                }
                LearnerReport {
                    format: crate::report::FORMAT.to_string(),
                    learner: l.name.clone(),
                    workshop: String::new(),
                    generated_at: crate::util::rfc3339(l.last_update),
                    solved: l.cells.values().filter(|c| c.status == "solved").count(),
                    total: columns.len(),
                    lessons,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(token: &str, status: &str, check: Option<&str>) -> Progress {
        Progress {
            token: token.into(),
            current_lesson: Some(5),
            seq: 1,
            exercises: vec![ExerciseProgress {
                lesson: 5,
                slug: "futures-by-hand".into(),
                exercise: "block_on".into(),
                status: status.into(),
                failing_check: check.map(str::to_string),
                hints: 2,
            }],
        }
    }

    #[test]
    fn stuck_means_the_same_failing_check_for_n_minutes() {
        let mut class = Class::default();
        class.learners.insert(
            "t".into(),
            Learner {
                name: "ada".into(),
                token: "t".into(),
                ..Default::default()
            },
        );
        let cols = vec![Column {
            lesson: 5,
            slug: "futures-by-hand".into(),
            exercise: "block_on".into(),
        }];
        assert!(class.apply(&progress("t", "failing", Some("block_on::parks")), 1000));
        assert!(class.apply(&progress("t", "failing", Some("block_on::parks")), 1500));
        let t = class.table(&cols, 10, 1000 + 600);
        assert_eq!(t["learners"][0]["stuck"][0], 0);
        assert_eq!(t["learners"][0]["status"], "f");
        assert_eq!(t["learners"][0]["failing"]["0"], "block_on::parks");
        assert_eq!(t["histogram"][0]["check"], "block_on::parks");
        // Another failing check starts the clock again.
        assert!(class.apply(&progress("t", "failing", Some("block_on::other")), 1601));
        let t = class.table(&cols, 10, 1700);
        assert_eq!(t["learners"][0]["stuck"].as_array().unwrap().len(), 0);
        // Solved: not stuck, and the time of the last pass is kept.
        assert!(class.apply(&progress("t", "solved", None), 1800));
        let t = class.table(&cols, 10, 1810);
        assert_eq!(t["learners"][0]["since_last_pass_secs"], 10);
        assert_eq!(t["histogram"].as_array().unwrap().len(), 0);
        assert!(!class.apply(&progress("nope", "solved", None), 1900));
    }

    #[test]
    fn rejects_unknown_statuses_and_long_fields() {
        assert!(progress("t", "solved", None).invalid().is_none());
        assert!(progress("t", "pwned", None).invalid().is_some());
        let long = "x".repeat(MAX_FIELD + 1);
        assert!(progress("t", "failing", Some(&long)).invalid().is_some());
    }
}
