//! The learner's progress in `.workshop/state.json`, keyed by lesson slug and
//! exercise name (never by number, so renumbering lessons keeps progress).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
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
    /// The state as this command loaded it: `save` writes only what the
    /// command changed since, on top of what is on disk then.
    #[serde(skip)]
    base: Option<Box<State>>,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonState {
    /// sha256 of the exercise file when it was last checked.
    #[serde(default)]
    pub file_sha256: Option<String>,
    #[serde(default)]
    pub checked_at: Option<String>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseState {
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub hints_revealed: usize,
    #[serde(default)]
    pub checked_at: Option<String>,
    /// The first check that failed at the last check (for the class board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_check: Option<String>,
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

/// Holds `.workshop/state.lock` locked until dropped: every read-modify-write
/// of the state happens under it, so two runner commands at once (a `watch`
/// and a `hint`, two `check`s) never lose each other's updates.
struct StateLock(#[allow(dead_code)] std::fs::File);

fn lock(root: &Path) -> Result<StateLock> {
    let dir = root.join(".workshop");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("could not create the folder {}", dir.display()))?;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("state.lock"))
        .with_context(|| format!("could not open {}", dir.join("state.lock").display()))?;
    f.lock()
        .with_context(|| "could not lock .workshop/state.lock".to_string())?;
    Ok(StateLock(f))
}

/// A name for a damaged state file that no other backup has.
fn corrupt_name(p: &Path) -> PathBuf {
    let stamp = util::file_stamp(util::now_secs());
    let pid = std::process::id();
    let mut aside = p.with_file_name(format!("state.json.corrupt-{stamp}-{pid}"));
    let mut k = 2;
    while aside.exists() {
        aside = p.with_file_name(format!("state.json.corrupt-{stamp}-{pid}-{k}"));
        k += 1;
    }
    aside
}

impl State {
    /// Loads the state. A missing file gives an empty state; a corrupt one is
    /// moved aside (never deleted) and an empty state is returned.
    pub fn load(root: &Path) -> (State, Loaded) {
        let _lock = lock(root).ok();
        let (mut state, how) = State::load_unlocked(root);
        state.base = Some(Box::new(state.clone()));
        (state, how)
    }

    fn load_unlocked(root: &Path) -> (State, Loaded) {
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
                let aside = corrupt_name(&p);
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
            base: None,
        }
    }

    /// One read-modify-write of the state, all under the lock: for updates
    /// that depend on the value on disk (a hint counter).
    pub fn update<T>(root: &Path, f: impl FnOnce(&mut State) -> T) -> Result<T> {
        let _lock = lock(root)?;
        let (mut disk, _) = State::load_unlocked(root);
        let out = f(&mut disk);
        disk.version = disk.version.max(1);
        let mut json = serde_json::to_string_pretty(&disk)?;
        json.push('\n');
        util::write_atomic(&path(root), json.as_bytes())?;
        Ok(out)
    }

    /// Saves what this command changed since it loaded the state, merged
    /// into the state on disk now (under the lock, written atomically).
    /// Afterwards `self` is the merged state.
    pub fn save(&mut self, root: &Path) -> Result<()> {
        let _lock = lock(root)?;
        let (mut disk, _) = State::load_unlocked(root);
        let empty = State::default();
        let base = self.base.as_deref().unwrap_or(&empty);
        for (slug, mine) in &self.lessons {
            let was = base.lessons.get(slug);
            let d = disk.lessons.entry(slug.clone()).or_default();
            if was.map(|w| &w.file_sha256) != Some(&mine.file_sha256) {
                d.file_sha256 = mine.file_sha256.clone();
            }
            if was.map(|w| &w.checked_at) != Some(&mine.checked_at) {
                d.checked_at = mine.checked_at.clone();
            }
            for (name, ex) in &mine.exercises {
                let was_ex = was.and_then(|w| w.exercises.get(name));
                let de = d.exercises.entry(name.clone()).or_default();
                if was_ex.map(|w| w.status) != Some(ex.status) {
                    de.status = ex.status;
                }
                if was_ex.map(|w| &w.checked_at) != Some(&ex.checked_at) {
                    de.checked_at = ex.checked_at.clone();
                }
                if was_ex.map(|w| &w.failing_check) != Some(&ex.failing_check) {
                    de.failing_check = ex.failing_check.clone();
                }
                if was_ex.map(|w| w.hints_revealed) != Some(ex.hints_revealed) {
                    // A hint once seen stays seen.
                    de.hints_revealed = de.hints_revealed.max(ex.hints_revealed);
                }
            }
        }
        disk.version = disk.version.max(self.version).max(1);
        let mut json = serde_json::to_string_pretty(&disk)?;
        json.push('\n');
        util::write_atomic(&path(root), json.as_bytes())?;
        disk.base = Some(Box::new(disk.clone()));
        *self = disk;
        Ok(())
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
