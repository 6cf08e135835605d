//! The learner's progress in `.workshop/state.json`, keyed by lesson slug and
//! exercise name (never by number, so renumbering lessons keeps progress).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::util;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Solved,
    Failing,
    NotStarted,
    CompileError,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Solved => "solved",
            Status::Failing => "failing",
            Status::NotStarted => "not started",
            Status::CompileError => "does not compile",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Status::Solved => "solved",
            Status::Failing => "failing",
            Status::NotStarted => "not_started",
            Status::CompileError => "compile_error",
        }
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct LessonState {
    /// sha256 of the exercise file when it was last checked.
    #[serde(default)]
    pub file_sha256: Option<String>,
    #[serde(default)]
    pub checked_at: Option<String>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ExerciseState {
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub hints_revealed: usize,
    #[serde(default)]
    pub checked_at: Option<String>,
}

/// How loading went.
pub enum Loaded {
    Fine,
    Missing,
    /// Unreadable; the note says what happened to the old file.
    Rebuilt(String),
}

pub fn path(root: &Path) -> PathBuf {
    root.join(".workshop/state.json")
}

impl State {
    /// Loads the state. A missing file gives an empty state; a corrupt one is
    /// moved aside (never deleted) and an empty state is returned.
    pub fn load(root: &Path) -> (State, Loaded) {
        let p = path(root);
        let text = match std::fs::read(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (State::fresh(), Loaded::Missing);
            }
            Err(e) => {
                return (
                    State::fresh(),
                    Loaded::Rebuilt(format!(
                        "note: could not read {} ({e}); rebuilding your progress from a fresh check.",
                        util::rel(root, &p)
                    )),
                );
            }
        };
        match serde_json::from_slice::<State>(&text) {
            Ok(s) => (s, Loaded::Fine),
            Err(e) => {
                let aside = p.with_file_name(format!(
                    "state.json.corrupt-{}",
                    util::file_stamp(util::now_secs())
                ));
                let moved = std::fs::rename(&p, &aside).is_ok();
                let kept = if moved {
                    format!(" (the old file is kept as {})", util::rel(root, &aside))
                } else {
                    String::new()
                };
                (
                    State::fresh(),
                    Loaded::Rebuilt(format!(
                        "note: {} was damaged ({e}); rebuilding your progress from a fresh check{kept}.",
                        util::rel(root, &p)
                    )),
                )
            }
        }
    }

    fn fresh() -> State {
        State {
            version: 1,
            lessons: BTreeMap::new(),
        }
    }

    pub fn save(&self, root: &Path) -> Result<()> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        util::write_atomic(&path(root), json.as_bytes())
    }

    pub fn lesson(&self, slug: &str) -> Option<&LessonState> {
        self.lessons.get(slug)
    }

    pub fn exercise_mut(&mut self, slug: &str, name: &str) -> &mut ExerciseState {
        self.lessons
            .entry(slug.to_string())
            .or_default()
            .exercises
            .entry(name.to_string())
            .or_default()
    }

    pub fn hints_revealed(&self, slug: &str, name: &str) -> usize {
        self.lessons
            .get(slug)
            .and_then(|l| l.exercises.get(name))
            .map_or(0, |e| e.hints_revealed)
    }
}
