//! What the learner has done: statuses from the saved state, refreshed by
//! running checks, and how results are printed.

use anyhow::Result;

use crate::Ctx;
use crate::checks::{LessonResult, Runner, Side};
use crate::manifest::Lesson;
use crate::state::{Loaded, State, Status};
use crate::stubgen;
use crate::util;

/// An exercise's status as far as the runner knows without running anything.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Known {
    pub status: Option<Status>,
    /// The file changed since that status was recorded.
    pub stale: bool,
    /// The exercise file is missing.
    pub missing: bool,
}

/// The sha256 of the exercise file as shipped: of the stub generated from
/// the reference solution.
pub fn shipped_sha(ctx: &Ctx, lesson: &Lesson) -> Option<String> {
    let stub = stubgen::lesson_stub(&ctx.root, lesson).ok()?;
    Some(util::sha256_hex(stub.text.as_bytes()))
}

/// Whether the learner has certainly changed the lesson's exercise file.
pub fn edited(ctx: &Ctx, lesson: &Lesson) -> bool {
    let sha = util::sha256_file(&lesson.exercise_file(&ctx.root));
    let shipped = shipped_sha(ctx, lesson);
    sha.is_some() && shipped.is_some() && sha != shipped
}

pub fn known(ctx: &Ctx, state: &State, lesson: &Lesson, exercise: &str) -> Known {
    let Some(sha) = util::sha256_file(&lesson.exercise_file(&ctx.root)) else {
        return Known {
            status: None,
            stale: false,
            missing: true,
        };
    };
    if shipped_sha(ctx, lesson).as_deref() == Some(sha.as_str()) {
        return Known {
            status: Some(Status::NotStarted),
            stale: false,
            missing: false,
        };
    }
    let ls = state.lesson(&lesson.slug);
    let status = ls
        .and_then(|l| l.exercises.get(exercise))
        .and_then(|e| e.status);
    let stale = ls.and_then(|l| l.file_sha256.as_deref()) != Some(sha.as_str());
    Known {
        status,
        stale: stale || status.is_none(),
        missing: false,
    }
}

/// Loads the state; when it was missing or unreadable, prints the note and
/// rebuilds the lessons the learner has edited from a fresh check.
pub fn load_state(ctx: &Ctx, quiet: bool) -> Result<State> {
    let (mut state, how) = State::load(&ctx.root);
    let rebuild = match how {
        Loaded::Fine => false,
        Loaded::Missing => true,
        Loaded::Rebuilt(note) => {
            eprintln!("{}", ctx.style.yellow(&note));
            true
        }
    };
    // Lessons the learner has edited but that were never checked (a new or
    // rebuilt state file): check them now, so the table is never a guess.
    let edited: Vec<&Lesson> = ctx
        .manifest
        .lessons
        .iter()
        .filter(|l| {
            edited(ctx, l)
                && state
                    .lesson(&l.slug)
                    .is_none_or(|ls| ls.file_sha256.is_none())
        })
        .collect();
    if rebuild || !edited.is_empty() {
        if !edited.is_empty() {
            if !quiet {
                eprintln!(
                    "note: checking the lesson{} you have worked on to update your progress…",
                    if edited.len() > 1 { "s" } else { "" }
                );
            }
            let results = runner(ctx, !quiet).run(&edited, Side::Exercises)?;
            for (l, r) in edited.iter().zip(&results) {
                record(ctx, &mut state, l, r);
            }
        }
        state.save(&ctx.root)?;
    }
    Ok(state)
}

pub fn runner(ctx: &Ctx, spinner: bool) -> Runner<'_> {
    Runner {
        root: &ctx.root,
        target_dir: None,
        spinner: spinner && util::stderr_is_tty(),
    }
}

/// Stores a check's results (statuses are keyed by slug and exercise name).
pub fn record(ctx: &Ctx, state: &mut State, lesson: &Lesson, result: &LessonResult) {
    let now = util::rfc3339(util::now_secs());
    let sha = util::sha256_file(&lesson.exercise_file(&ctx.root));
    let ls = state.lessons.entry(lesson.slug.clone()).or_default();
    ls.file_sha256 = sha;
    ls.checked_at = Some(now.clone());
    for ex in &result.exercises {
        let e = ls.exercises.entry(ex.name.clone()).or_default();
        e.status = Some(ex.status);
        e.checked_at = Some(now.clone());
        e.failing_check = (ex.status != Status::Solved)
            .then(|| ex.failures.first().map(|(n, _)| n.clone()))
            .flatten();
    }
}

/// Checks lessons whose file changed since their last check.
pub fn refresh_stale(ctx: &Ctx, state: &mut State, spinner: bool) -> Result<()> {
    let stale: Vec<&Lesson> = ctx
        .manifest
        .lessons
        .iter()
        .filter(|l| {
            l.exercise_file(&ctx.root).is_file()
                && l.exercises
                    .iter()
                    .any(|e| known(ctx, state, l, &e.name).stale)
        })
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    let results = runner(ctx, spinner).run(&stale, Side::Exercises)?;
    for (l, r) in stale.iter().zip(&results) {
        record(ctx, state, l, r);
    }
    state.save(&ctx.root)
}

/// The lesson the learner is on: the first with an exercise not solved.
pub fn current_lesson<'a>(ctx: &'a Ctx, state: &State) -> Option<&'a Lesson> {
    ctx.manifest
        .lessons
        .iter()
        .find(|l| {
            l.exercises
                .iter()
                .any(|e| known(ctx, state, l, &e.name).status != Some(Status::Solved))
        })
        .or(ctx.manifest.lessons.last())
}

pub fn symbol(ctx: &Ctx, status: Option<Status>) -> String {
    let s = &ctx.style;
    match status {
        Some(Status::Solved) => s.green("✓"),
        Some(Status::Failing) => s.red("✗"),
        Some(Status::CompileError) => s.red("!"),
        Some(Status::NotStarted) => s.dim("·"),
        None => s.dim("?"),
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints a lesson's check results for a person.
pub fn print_result(ctx: &Ctx, lesson: &Lesson, r: &LessonResult) {
    let s = &ctx.style;
    let file = util::rel(&ctx.root, &lesson.exercise_file(&ctx.root));
    println!(
        "{}  {}",
        s.bold(&format!("Lesson {} · {}", lesson.num(), lesson.title)),
        s.dim(&file)
    );
    if let Some(err) = &r.compile_error {
        println!(
            "  {} {}",
            s.red("!"),
            s.red("does not compile — cargo says:")
        );
        println!("{}", indent(err, "    "));
        println!(
            "  Fix the first error above (the others often follow from it), save, and check again."
        );
        return;
    }
    let width = lesson
        .exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(4);
    for ex in &r.exercises {
        let total = ex.passed + ex.failed;
        let label = match ex.status {
            Status::Solved => s.green("solved"),
            Status::Failing => s.red("failing"),
            Status::NotStarted => s.dim("not started"),
            Status::CompileError => s.red("does not compile"),
        };
        println!(
            "  {} {:width$}  {}  {}",
            symbol(ctx, Some(ex.status)),
            ex.name,
            label,
            s.dim(&format!("({}/{} checks pass)", ex.passed, total)),
        );
        match ex.status {
            Status::NotStarted => {
                if let Some(e) = lesson.exercise(&ex.name)
                    && !e.goal.is_empty()
                {
                    println!("      {}", s.dim(&format!("goal: {}", e.goal)));
                }
            }
            Status::Failing => {
                for (name, msg) in &ex.failures {
                    println!("      {}", s.yellow(name));
                    let msg = if msg.is_empty() {
                        "(the check failed without a message)"
                    } else {
                        msg
                    };
                    println!("{}", indent(msg, "        "));
                }
            }
            _ => {}
        }
    }
    for t in &r.stray {
        println!(
            "  {} check `{t}` belongs to no exercise in workshop.toml",
            s.yellow("?")
        );
    }
    let solved = r
        .exercises
        .iter()
        .filter(|e| e.status == Status::Solved)
        .count();
    let n = r.exercises.len();
    if solved == n {
        println!(
            "  {}",
            s.green(&format!(
                "All {n} exercises of lesson {} are solved.",
                lesson.num()
            ))
        );
        let walkthrough = ctx
            .root
            .join("book/src/solutions")
            .join(format!("{}.md", lesson.dir()));
        if walkthrough.is_file() {
            println!(
                "  Compare with the walkthrough: {}  (or {})",
                util::rel(&ctx.root, &walkthrough),
                s.cyan(&format!(
                    "cargo workshop solution {} EXERCISE",
                    lesson.number
                ))
            );
        }
    } else if let Some(next) = r.exercises.iter().find(|e| e.status != Status::Solved) {
        println!(
            "  {solved}/{n} solved. Stuck on `{}`? {}",
            next.name,
            s.cyan(&format!(
                "cargo workshop hint {} {}",
                lesson.number, next.name
            ))
        );
    }
}
