//! Runs a lesson's checks with cargo and turns libtest's plain output into a
//! verdict per exercise.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::manifest::Lesson;
use crate::state::Status;

/// What the testkit (and `todo!()` itself) say when the code reached a
/// `todo!()`: failures with only these messages mean "not started".
pub const TODO_MARKERS: [&str; 2] = ["not solved yet", "not yet implemented"];

#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// `MOD::name`
    pub name: String,
    pub passed: bool,
    /// The failure's message, without libtest's "thread ... panicked" line.
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ExerciseResult {
    pub name: String,
    pub status: Status,
    pub passed: usize,
    pub failed: usize,
    /// Failed checks: (test name, message).
    pub failures: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct LessonResult {
    /// cargo's output when the lesson does not compile.
    pub compile_error: Option<String>,
    pub exercises: Vec<ExerciseResult>,
    /// Checks whose module is not an exercise in the manifest.
    pub stray: Vec<String>,
    /// Every check that ran.
    pub tests: Vec<TestOutcome>,
}

impl LessonResult {
    pub fn all_solved(&self) -> bool {
        self.compile_error.is_none() && self.exercises.iter().all(|e| e.status == Status::Solved)
    }
}

/// Which crate of each lesson to check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Exercises,
    Solutions,
}

pub struct Runner<'a> {
    pub root: &'a Path,
    pub target_dir: Option<PathBuf>,
    pub spinner: bool,
}

impl Runner<'_> {
    /// Checks `lessons`, with as few cargo runs as possible: one for all of
    /// them, and one more per lesson that does not compile.
    pub fn run(&self, lessons: &[&Lesson], side: Side) -> Result<Vec<LessonResult>> {
        let mut done: BTreeMap<String, LessonResult> = BTreeMap::new();
        let mut remaining: Vec<&Lesson> = lessons.to_vec();
        while !remaining.is_empty() {
            let (ok, output) = self.cargo_test(&remaining, side)?;
            let sections = split_by_binary(&output, &remaining);
            for l in &remaining {
                if let Some(text) = sections.get(&l.slug) {
                    done.insert(l.slug.clone(), evaluate(l, parse_libtest(text), None));
                }
            }
            let failed_pkgs = could_not_compile(&output);
            let before = remaining.len();
            let unfinished: Vec<&Lesson> = remaining
                .iter()
                .copied()
                .filter(|l| !done.contains_key(&l.slug))
                .collect();
            if unfinished.is_empty() {
                break;
            }
            let pkg = |l: &Lesson| match side {
                Side::Exercises => l.exercise_pkg(),
                Side::Solutions => l.solution_pkg(),
            };
            let broken: Vec<&Lesson> = unfinished
                .iter()
                .copied()
                .filter(|l| failed_pkgs.contains(&pkg(l)))
                .collect();
            if unfinished.len() == 1 || (broken.is_empty() && !ok) {
                // One lesson left, or cargo failed for a reason that names no
                // lesson (a dependency does not build): the output is the
                // error of every lesson still unfinished.
                let err = clean_compile_output(&output);
                for l in &unfinished {
                    done.insert(l.slug.clone(), evaluate(l, Vec::new(), Some(err.clone())));
                }
                break;
            }
            for l in &broken {
                if before > 1 {
                    // Run it alone for an error message that is only its own.
                    let (_, out) = self.cargo_test(&[l], side)?;
                    let sections = split_by_binary(&out, &[l]);
                    let r = match sections.get(&l.slug) {
                        Some(text) => evaluate(l, parse_libtest(text), None),
                        None => evaluate(l, Vec::new(), Some(clean_compile_output(&out))),
                    };
                    done.insert(l.slug.clone(), r);
                }
            }
            remaining = unfinished
                .into_iter()
                .filter(|l| !done.contains_key(&l.slug))
                .collect();
            if remaining.len() == before {
                // No progress: give up rather than loop.
                let err = clean_compile_output(&output);
                for l in &remaining {
                    done.insert(l.slug.clone(), evaluate(l, Vec::new(), Some(err.clone())));
                }
                break;
            }
        }
        Ok(lessons
            .iter()
            .filter_map(|l| done.remove(&l.slug))
            .collect())
    }

    /// Runs `cargo test --no-fail-fast -p PKG... --test check` and returns
    /// (success, stdout and stderr interleaved as they were written).
    fn cargo_test(&self, lessons: &[&Lesson], side: Side) -> Result<(bool, String)> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(self.root)
            .arg("test")
            .arg("--no-fail-fast")
            .arg("--color")
            .arg("never");
        for l in lessons {
            cmd.arg("-p").arg(match side {
                Side::Exercises => l.exercise_pkg(),
                Side::Solutions => l.solution_pkg(),
            });
        }
        cmd.args(["--test", "check"]);
        if let Some(t) = &self.target_dir {
            cmd.arg("--target-dir").arg(t);
        }
        cmd.args(["--", "--color", "never"])
            .env("RUST_BACKTRACE", "0")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .stdin(Stdio::null());
        let (mut reader, writer) = std::io::pipe().context("could not create a pipe for cargo")?;
        cmd.stdout(writer.try_clone()?).stderr(writer);
        let spinner = self.spinner.then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            let what = lessons
                .iter()
                .map(|l| l.num())
                .collect::<Vec<_>>()
                .join(", ");
            let which = match side {
                Side::Exercises => "checks",
                Side::Solutions => "solutions",
            };
            pb.set_message(format!(
                "running the {which} of lesson{} {what} (cargo test)…",
                if lessons.len() > 1 { "s" } else { "" }
            ));
            pb.enable_steady_tick(Duration::from_millis(120));
            pb
        });
        let mut child = cmd.spawn().map_err(|e| {
            anyhow::anyhow!(
                "could not start cargo ({e}); install Rust from https://rustup.rs and try again"
            )
        })?;
        drop(cmd); // closes our copies of the pipe's write end
        // Read as it comes, so a wait for cargo's build lock (another
        // `cargo` running in this folder) is said at once, not after it.
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let mut told = false;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
            if !told && String::from_utf8_lossy(&raw).contains("Blocking waiting for file lock") {
                told = true;
                let note = "waiting for another cargo command in this folder to finish (cargo's build lock)…";
                match &spinner {
                    Some(pb) => pb.set_message(note),
                    None => eprintln!("{note}"),
                }
            }
        }
        let status = child.wait()?;
        if let Some(pb) = spinner {
            pb.finish_and_clear();
        }
        Ok((status.success(), String::from_utf8_lossy(&raw).into_owned()))
    }
}

/// Splits cargo's output into the part each lesson's check binary printed,
/// by the `Running ../../tests/NN-slug.rs (...)` lines.
fn split_by_binary(output: &str, lessons: &[&Lesson]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("Running ") {
            let path = rest.split(" (").next().unwrap_or("").replace('\\', "/");
            current = lessons
                .iter()
                .find(|l| path.ends_with(&format!("tests/{}.rs", l.dir())))
                .map(|l| l.slug.clone());
            if let Some(slug) = &current {
                out.entry(slug.clone()).or_default();
            }
            continue;
        }
        if let Some(slug) = &current {
            let s = out.entry(slug.clone()).or_default();
            s.push_str(line);
            s.push('\n');
        }
    }
    out
}

/// Packages named in `error: could not compile `NAME``.
fn could_not_compile(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("error: could not compile `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect()
}

/// cargo's output without the progress lines.
fn clean_compile_output(output: &str) -> String {
    const NOISE: [&str; 9] = [
        "Compiling ",
        "Checking ",
        "Finished ",
        "Blocking ",
        "Downloading ",
        "Downloaded ",
        "Locking ",
        "Updating ",
        "Adding ",
    ];
    let kept: Vec<&str> = output
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !NOISE.iter().any(|n| t.starts_with(n))
        })
        .collect();
    kept.join("\n").trim().to_string()
}

/// Parses libtest's plain output: `test NAME ... ok|FAILED|ignored` lines
/// and the `---- NAME stdout ----` sections of the failures.
pub fn parse_libtest(text: &str) -> Vec<TestOutcome> {
    let mut results: Vec<TestOutcome> = Vec::new();
    let mut messages: BTreeMap<String, String> = BTreeMap::new();
    let mut in_failures = false;
    let mut section: Option<String> = None;
    for line in text.lines() {
        if line == "failures:" {
            if in_failures && section.is_some() {
                // The second `failures:` lists names only.
                section = None;
                in_failures = false;
                continue;
            }
            in_failures = true;
            section = None;
            continue;
        }
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|r| r.strip_suffix(" stdout ----"))
        {
            section = Some(name.to_string());
            messages.entry(name.to_string()).or_default();
            in_failures = true;
            continue;
        }
        if let Some(name) = &section {
            if line.starts_with("test result:") {
                section = None;
                continue;
            }
            let m = messages.entry(name.clone()).or_default();
            m.push_str(line);
            m.push('\n');
            continue;
        }
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, verdict)) = rest.rsplit_once(" ... ")
        {
            let passed = match verdict.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => continue, // ignored, bench
            };
            results.push(TestOutcome {
                name: name.trim().to_string(),
                passed,
                message: String::new(),
            });
        }
    }
    for r in &mut results {
        if let Some(m) = messages.get(&r.name) {
            r.message = clean_message(&r.name, m);
        }
    }
    results
}

/// Drops libtest's framing from a failure message, keeping what the check
/// says. A check that runs the learner's code on a helper thread prints that
/// thread's panic and then its own, which repeats the cause with a pointer to
/// the book; when the test's own thread panicked, only its message is kept.
fn clean_message(test: &str, m: &str) -> String {
    let own = format!("thread '{test}' (");
    let own_old = format!("thread '{test}' panicked");
    let mut blocks: Vec<(bool, Vec<&str>)> = vec![(false, Vec::new())];
    for l in m.lines() {
        let panicked = l.starts_with("thread '") && l.contains("panicked at");
        if panicked {
            blocks.push((l.starts_with(&own) || l.starts_with(&own_old), Vec::new()));
            continue;
        }
        let note = l.starts_with("note: run with `RUST_BACKTRACE")
            || l.starts_with("note: Some details are omitted");
        if !note {
            blocks.last_mut().expect("one block at least").1.push(l);
        }
    }
    let keep: Vec<&str> = if blocks.iter().any(|(own, _)| *own) {
        blocks
            .iter()
            .filter(|(own, _)| *own)
            .flat_map(|(_, lines)| lines.iter().copied())
            .collect()
    } else {
        blocks
            .iter()
            .flat_map(|(_, lines)| lines.iter().copied())
            .collect()
    };
    keep.join("\n").trim().to_string()
}

/// Verdicts for every exercise of `lesson`.
pub fn evaluate(
    lesson: &Lesson,
    tests: Vec<TestOutcome>,
    compile_error: Option<String>,
) -> LessonResult {
    let mut exercises = Vec::new();
    for ex in &lesson.exercises {
        let prefix = format!("{}::", ex.name);
        let mine: Vec<&TestOutcome> = tests
            .iter()
            .filter(|t| t.name.starts_with(&prefix))
            .collect();
        let passed = mine.iter().filter(|t| t.passed).count();
        let failures: Vec<(String, String)> = mine
            .iter()
            .filter(|t| !t.passed)
            .map(|t| (t.name.clone(), t.message.clone()))
            .collect();
        let status = if compile_error.is_some() {
            Status::CompileError
        } else if mine.is_empty() {
            Status::Failing
        } else if failures.is_empty() {
            Status::Solved
        } else if failures
            .iter()
            .all(|(_, m)| TODO_MARKERS.iter().any(|k| m.contains(k)))
        {
            Status::NotStarted
        } else {
            Status::Failing
        };
        let mut failures = failures;
        if mine.is_empty() && compile_error.is_none() {
            failures.push((
                format!("{}::*", ex.name),
                format!(
                    "no check named `{}::…` ran: workshop.toml and tests/{}.rs disagree (tell your instructor).",
                    ex.name,
                    lesson.dir()
                ),
            ));
        }
        exercises.push(ExerciseResult {
            name: ex.name.clone(),
            status,
            passed,
            failed: mine.len() - passed,
            failures,
        });
    }
    let stray = tests
        .iter()
        .filter(|t| {
            !lesson
                .exercises
                .iter()
                .any(|e| t.name.starts_with(&format!("{}::", e.name)))
        })
        .map(|t| t.name.clone())
        .collect();
    LessonResult {
        compile_error,
        exercises,
        stray,
        tests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "
running 3 tests
test add::adds ... FAILED
test greet::says_hello ... ok
test greet::other ... FAILED

failures:

---- add::adds stdout ----

thread 'add::adds' (1788) panicked at exercises/01-hello/src/lib.rs:14:5:
not yet implemented
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- greet::other stdout ----

thread 'greet::other' (1) panicked at tests/x.rs:1:1:
greet() must say hello
  left: 1
 right: 2


failures:
    add::adds
    greet::other

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.13s
";

    #[test]
    fn parses_libtest_output() {
        let t = parse_libtest(OUT);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].name, "add::adds");
        assert_eq!(t[0].message, "not yet implemented");
        assert!(t[1].passed);
        assert_eq!(t[2].message, "greet() must say hello\n  left: 1\n right: 2");
        let lesson: Lesson = toml::from_str(
            "number = 1\nslug = \"hello\"\n[[exercise]]\nname = \"greet\"\n[[exercise]]\nname = \"add\"\n[[exercise]]\nname = \"gone\"",
        )
        .unwrap();
        let r = evaluate(&lesson, t, None);
        assert_eq!(r.exercises[0].status, Status::Failing);
        assert_eq!(r.exercises[1].status, Status::NotStarted);
        assert_eq!(r.exercises[2].status, Status::Failing);
        assert!(r.stray.is_empty());
    }

    #[test]
    fn names_packages_that_do_not_compile() {
        let s = could_not_compile(
            "error: could not compile `ex02-counting` (lib) due to 1 previous error\n",
        );
        assert!(s.contains("ex02-counting"));
    }

    #[test]
    fn keeps_only_the_tests_own_panic_when_a_helper_thread_panicked_first() {
        let out = "
running 1 test
test both::waits ... FAILED

failures:

---- both::waits stdout ----

thread 'both::waits-worker' (11) panicked at testkit/src/probes.rs:1:1:
at most 1 ever were
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
thread 'both::waits' (10) panicked at tests/x.rs:1:1:
at most 1 ever were
  (read: book/src/01-sync-vs-async.md#exercise-both)


failures:
    both::waits

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3.00s
";
        let r = parse_libtest(out);
        assert_eq!(
            r[0].message,
            "at most 1 ever were\n  (read: book/src/01-sync-vs-async.md#exercise-both)"
        );
    }
}
