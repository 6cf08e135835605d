//! The learner's commands: status table, check, hint, reset, solution.

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::Ctx;
use crate::checks::Side;
use crate::items;
use crate::manifest::Lesson;
use crate::progress::{self, known, symbol};
use crate::state::{State, Status};
use crate::stubgen;
use crate::util;

/// `cargo workshop`: the progress table and the next step.
pub fn status(ctx: &Ctx) -> Result<i32> {
    let state = progress::load_state(ctx, false)?;
    let s = &ctx.style;
    let title = if ctx.manifest.workshop.title.is_empty() {
        "The workshop".to_string()
    } else {
        ctx.manifest.workshop.title.clone()
    };
    println!("{}", s.bold(&title));
    println!();
    let mut solved = 0;
    let mut any_stale = false;
    for l in &ctx.manifest.lessons {
        println!(
            "  {}  {}",
            s.bold(&l.num()),
            s.bold(&format!("{} · {}", l.slug, l.title))
        );
        let width = l.exercises.iter().map(|e| e.name.len()).max().unwrap_or(4);
        for e in &l.exercises {
            let k = known(ctx, &state, l, &e.name);
            if k.status == Some(Status::Solved) && !k.stale {
                solved += 1;
            }
            let mut label = match k.status {
                _ if k.missing => s.red("file missing — `cargo workshop reset` brings it back"),
                Some(st) => st.label().to_string(),
                None => s.dim("not checked yet"),
            };
            if k.stale && k.status.is_some() {
                label.push_str(&s.dim(" *"));
                any_stale = true;
            } else if k.status.is_none() && !k.missing {
                any_stale = true;
            }
            println!("      {} {:width$}  {label}", symbol(ctx, k.status), e.name);
        }
    }
    let total = ctx.manifest.total_exercises();
    println!();
    println!(
        "  {}  {solved}/{total} exercises solved",
        bar(solved, total, 30, ctx)
    );
    if any_stale {
        println!(
            "  {}",
            s.dim("* changed since it was last checked; `cargo workshop check` updates it")
        );
    }
    println!();
    next_step(ctx, &state);
    Ok(0)
}

fn bar(done: usize, total: usize, width: usize, ctx: &Ctx) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let full = "█".repeat(filled);
    let empty = "░".repeat(width - filled);
    format!("[{}{}]", ctx.style.green(&full), ctx.style.dim(&empty))
}

fn next_step(ctx: &Ctx, state: &State) {
    let s = &ctx.style;
    let todo = ctx.manifest.lessons.iter().find_map(|l| {
        l.exercises.iter().find_map(|e| {
            let k = known(ctx, state, l, &e.name);
            (k.status != Some(Status::Solved) || k.stale).then_some((l, e, k))
        })
    });
    let Some((l, e, k)) = todo else {
        println!("{}", s.green("Everything is solved. Well done!"));
        println!(
            "  Compare your code with the reference: {}",
            s.cyan("cargo workshop solution LESSON")
        );
        return;
    };
    println!(
        "{} lesson {} ({}), exercise `{}`{}",
        s.bold("Next:"),
        l.num(),
        l.slug,
        e.name,
        if e.goal.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.goal)
        }
    );
    let file = util::rel(&ctx.root, &l.exercise_file(&ctx.root));
    if k.missing {
        println!(
            "  your exercise file is missing; restore it: {}",
            s.cyan(&format!("cargo workshop reset {}", l.number))
        );
        return;
    }
    let chapter = l.chapter(&ctx.root);
    if chapter.is_file() {
        println!("  read  {}", util::rel(&ctx.root, &chapter));
    }
    println!(
        "  open  {file}  (find `{}`: its doc comment is the contract)",
        e.name
    );
    match k.status {
        Some(Status::CompileError) => println!(
            "  your file does not compile; see why: {}",
            s.cyan(&format!("cargo workshop check {}", l.number))
        ),
        _ => println!(
            "  run   {}   (or {} to re-check on every save)",
            s.cyan(&format!("cargo workshop check {}", l.number)),
            s.cyan("cargo workshop watch")
        ),
    }
    println!(
        "  stuck? {}",
        s.cyan(&format!("cargo workshop hint {} {}", l.number, e.name))
    );
}

/// `cargo workshop check [LESSON] [--all] [--json]`
pub fn check(ctx: &Ctx, lesson: Option<&str>, all: bool, as_json: bool) -> Result<i32> {
    if let Some(arg) = lesson {
        ctx.manifest.find(arg)?; // a wrong name fails before anything runs
    }
    let mut state = progress::load_state(ctx, as_json)?;
    let lessons: Vec<&Lesson> = if all {
        ctx.manifest.lessons.iter().collect()
    } else if let Some(arg) = lesson {
        vec![ctx.manifest.find(arg)?]
    } else {
        match progress::current_lesson(ctx, &state) {
            Some(l) => vec![l],
            None => bail!(
                "workshop.toml lists no lessons; add a [[lesson]] to it (maintainers) or pull the latest version of the workshop."
            ),
        }
    };
    for l in &lessons {
        if !l.exercise_file(&ctx.root).is_file() {
            bail!(
                "the exercise file {} is missing; bring back the shipped one with `cargo workshop reset {}`.",
                util::rel(&ctx.root, &l.exercise_file(&ctx.root)),
                l.number
            );
        }
    }
    let results = progress::runner(ctx, !as_json).run(&lessons, Side::Exercises)?;
    for (l, r) in lessons.iter().zip(&results) {
        progress::record(ctx, &mut state, l, r);
    }
    state.save(&ctx.root)?;
    crate::class::client::send(ctx, &state, lessons.last().map(|l| l.number));
    let mut all_solved = true;
    for (l, r) in lessons.iter().zip(&results) {
        all_solved &= r.all_solved();
        if as_json {
            for ex in &r.exercises {
                let message = match (&r.compile_error, ex.status) {
                    (Some(err), _) => Some(err.clone()),
                    (None, Status::Solved) => None,
                    (None, _) => Some(
                        ex.failures
                            .iter()
                            .map(|(n, m)| format!("{n}: {m}"))
                            .collect::<Vec<_>>()
                            .join("\n\n"),
                    ),
                };
                let line = json!({
                    "lesson": l.number,
                    "slug": l.slug,
                    "exercise": ex.name,
                    "status": ex.status.key(),
                    "passed": ex.passed,
                    "failed": ex.failed,
                    "file": util::rel(&ctx.root, &l.exercise_file(&ctx.root)),
                    "message": message,
                });
                println!("{line}");
            }
        } else {
            progress::print_result(ctx, l, r);
            println!();
        }
    }
    Ok(if all_solved { 0 } else { 1 })
}

/// `cargo workshop hint LESSON [EXERCISE] [--all]`
pub fn hint(ctx: &Ctx, lesson: &str, exercise: Option<&str>, all: bool) -> Result<i32> {
    let l = ctx.manifest.find(lesson)?;
    let state = progress::load_state(ctx, true)?;
    let ex = match exercise {
        Some(name) => l.find_exercise(name)?,
        None => match l
            .exercises
            .iter()
            .find(|e| known(ctx, &state, l, &e.name).status != Some(Status::Solved))
        {
            Some(e) => e,
            None => match l.exercises.first() {
                Some(e) => {
                    println!(
                        "Every exercise of lesson {} is solved; here are the hints of `{}`.",
                        l.num(),
                        e.name
                    );
                    e
                }
                None => bail!(
                    "lesson {} has no exercises in workshop.toml, so it has no hints.",
                    l.num()
                ),
            },
        },
    };
    let s = &ctx.style;
    let n = ex.hints.len();
    if n == 0 {
        println!(
            "There are no hints for `{}`. Read its doc comment (the contract) in {} and the chapter {}.",
            ex.name,
            util::rel(&ctx.root, &l.exercise_file(&ctx.root)),
            util::rel(&ctx.root, &l.chapter(&ctx.root))
        );
        return Ok(0);
    }
    // Read and bump the counter in one locked step, so two `hint`s at once
    // reveal two hints.
    let seen = State::update(&ctx.root, |st| {
        let seen = st.hints_revealed(&l.slug, &ex.name).min(n);
        if !all && seen < n {
            st.exercise_mut(&l.slug, &ex.name).hints_revealed = seen + 1;
        }
        seen
    })?;
    if all {
        if seen == 0 {
            println!(
                "You have not seen any hint for `{}` yet. Get the first: {}",
                ex.name,
                s.cyan(&format!("cargo workshop hint {} {}", l.number, ex.name))
            );
        }
        for (i, h) in ex.hints.iter().take(seen).enumerate() {
            println!(
                "{} {h}",
                s.bold(&format!("Hint {} of {n} for `{}`:", i + 1, ex.name))
            );
        }
        return Ok(0);
    }
    if seen >= n {
        if n == 1 {
            println!("You have already seen the only hint for `{}`:", ex.name);
        } else {
            println!(
                "You have seen all {n} hints for `{}`. The last one was:",
                ex.name
            );
        }
        println!("  {}", ex.hints[n - 1]);
        println!(
            "See them all again with {}. Still stuck? Compare with the reference: {}",
            s.cyan(&format!(
                "cargo workshop hint {} {} --all",
                l.number, ex.name
            )),
            s.cyan(&format!("cargo workshop solution {} --force", l.number))
        );
        return Ok(0);
    }
    println!(
        "{}",
        s.bold(&format!(
            "Hint {} of {n} for `{}` (lesson {}):",
            seen + 1,
            ex.name,
            l.num()
        ))
    );
    println!("  {}", ex.hints[seen]);
    if seen + 1 < n {
        println!(
            "{}",
            s.dim(&format!(
                "Run the same command again for the next hint ({} left).",
                n - seen - 1
            ))
        );
    }
    Ok(0)
}

/// `cargo workshop reset LESSON [EXERCISE]`
pub fn reset(ctx: &Ctx, lesson: &str, exercise: Option<&str>) -> Result<i32> {
    let l = ctx.manifest.find(lesson)?;
    if let Some(name) = exercise {
        l.find_exercise(name)?;
    }
    let stub = stubgen::lesson_stub(&ctx.root, l).with_context(|| {
        format!(
            "could not generate the exercise from {}; get the workshop again",
            util::rel(&ctx.root, &l.solution_file(&ctx.root))
        )
    })?;
    let file = l.exercise_file(&ctx.root);
    let file_rel = util::rel(&ctx.root, &file);
    let current = std::fs::read_to_string(&file).ok();
    let mut whole_file = exercise.is_none();
    let new_text = match (exercise, &current) {
        (Some(name), Some(cur)) => match items::restore_exercise(cur, &stub, name) {
            Ok(t) => t,
            Err(e) => {
                println!(
                    "{} could not restore only `{name}`: {e:#}. Resetting the whole file instead.",
                    ctx.style.yellow("note:")
                );
                whole_file = true;
                stub.text.clone()
            }
        },
        _ => {
            whole_file = true;
            stub.text.clone()
        }
    };
    if current.as_deref().map(stubgen::normalize).as_deref() == Some(new_text.as_str()) {
        println!(
            "{file_rel} is already as shipped{}; nothing to do.",
            match exercise {
                Some(n) => format!(" for `{n}`"),
                None => String::new(),
            }
        );
        return Ok(0);
    }
    if let Some(cur) = &current {
        let backup = backup_path(ctx, l);
        util::write_atomic(&backup, cur.as_bytes())?;
        let b = util::rel(&ctx.root, &backup);
        println!("Your file was saved to {b}");
        println!("  (to undo the reset: cp {b} {file_rel})");
    }
    util::write_atomic(&file, new_text.as_bytes())?;
    let (mut state, _) = State::load(&ctx.root);
    let ls = state.lessons.entry(l.slug.clone()).or_default();
    ls.file_sha256 = Some(util::sha256_hex(new_text.as_bytes()));
    let names: Vec<&str> = match exercise {
        Some(n) if !whole_file => vec![n],
        _ => l.exercises.iter().map(|e| e.name.as_str()).collect(),
    };
    for n in names {
        ls.exercises.entry(n.to_string()).or_default().status = Some(Status::NotStarted);
    }
    state.save(&ctx.root)?;
    match exercise {
        Some(n) if !whole_file => {
            println!("Restored `{n}` in {file_rel} as shipped; the rest of your file is unchanged.")
        }
        _ => println!("Restored {file_rel} as shipped."),
    }
    Ok(0)
}

fn backup_path(ctx: &Ctx, l: &Lesson) -> std::path::PathBuf {
    let dir = ctx.root.join(".workshop/backups").join(l.dir());
    let stamp = util::file_stamp(util::now_secs());
    let mut p = dir.join(format!("lib-{stamp}.rs"));
    let mut k = 2;
    while p.exists() {
        p = dir.join(format!("lib-{stamp}-{k}.rs"));
        k += 1;
    }
    p
}

/// `cargo workshop solution LESSON [EXERCISE] [--force]`
pub fn solution(ctx: &Ctx, lesson: &str, exercise: Option<&str>, force: bool) -> Result<i32> {
    let l = ctx.manifest.find(lesson)?;
    if let Some(name) = exercise {
        l.find_exercise(name)?;
    }
    let s = &ctx.style;
    let file = l.exercise_file(&ctx.root);
    let sol = l.solution_file(&ctx.root);
    let Ok(reference) = std::fs::read_to_string(&sol) else {
        bail!(
            "the reference solution {} is missing; get the workshop again.",
            util::rel(&ctx.root, &sol)
        );
    };
    let mine = std::fs::read_to_string(&file).unwrap_or_default();
    if !force {
        let mut state = progress::load_state(ctx, true)?;
        let r = progress::runner(ctx, true).run(&[l], Side::Exercises)?;
        let r = &r[0];
        progress::record(ctx, &mut state, l, r);
        state.save(&ctx.root)?;
        let ready = match exercise {
            Some(name) => r
                .exercises
                .iter()
                .any(|e| e.name == name && e.status == Status::Solved),
            None => r.all_solved(),
        };
        if !ready {
            let solved = r
                .exercises
                .iter()
                .filter(|e| e.status == Status::Solved)
                .count();
            println!(
                "Your checks for lesson {} do not all pass yet ({solved} of {} exercises solved), so the solution stays hidden.",
                l.num(),
                r.exercises.len()
            );
            println!(
                "  Try a hint first: {}   See it anyway: {}",
                s.cyan(&format!("cargo workshop hint {}", l.number)),
                s.cyan(&format!("cargo workshop solution {} --force", l.number))
            );
            return Ok(1);
        }
    }
    let reference = stubgen::clean_solution(&reference);
    let mine = stubgen::normalize(&mine);
    let (mine, reference) = match exercise {
        Some(name) => {
            let stub = stubgen::lesson_stub(&ctx.root, l)?;
            let keys: Vec<String> = items::exercise_items(&stub, name)?
                .into_iter()
                .map(|it| it.key)
                .collect();
            let mut theirs = items::extract(&reference, &keys);
            let mut yours = items::extract(&mine, &keys);
            theirs.push('\n');
            if !yours.is_empty() {
                yours.push('\n');
            }
            (yours, theirs)
        }
        None => (mine, reference),
    };
    let what = exercise.map(|n| format!(" (`{n}`)")).unwrap_or_default();
    let mine_name = format!("your file: {}{what}", util::rel(&ctx.root, &file));
    let ref_name = format!("reference: {}{what}", util::rel(&ctx.root, &sol));
    if mine == reference {
        println!(
            "Your file is identical to the reference solution ({}).",
            util::rel(&ctx.root, &sol)
        );
        return Ok(0);
    }
    let diff = similar::TextDiff::from_lines(&mine, &reference);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&mine_name, &ref_name)
        .to_string();
    for line in text.lines() {
        if line.starts_with("+++") || line.starts_with("---") {
            println!("{}", s.bold(line));
        } else if line.starts_with('+') {
            println!("{}", s.green(line));
        } else if line.starts_with('-') {
            println!("{}", s.red(line));
        } else if line.starts_with("@@") {
            println!("{}", s.cyan(line));
        } else {
            println!("{line}");
        }
    }
    println!();
    println!(
        "{}",
        s.dim(
            "Lines with - are yours, lines with + are the reference's. Your file was not changed."
        )
    );
    Ok(0)
}
