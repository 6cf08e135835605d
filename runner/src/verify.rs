//! `cargo workshop verify`: the workshop is consistent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Ctx;
use crate::checks::{Runner, Side};
use crate::manifest::{self, Lesson, Manifest};
use crate::state::Status;
use crate::stubgen;
use crate::util;
use crate::variants;

struct Report {
    problems: Vec<String>,
    warnings: Vec<String>,
}

impl Report {
    fn problem(&mut self, s: String) {
        self.problems.push(s);
    }
}

/// The target dir for verify's own cargo runs. Run by hand or by CI, it is
/// the workspace's own target dir, so everything `cargo test` built is
/// reused. Run from inside a `cargo test` (the root test sets
/// `WORKSHOP_NESTED_VERIFY`), it is `<target>/verify`, so it never waits
/// for the outer cargo's build lock.
pub fn verify_target_dir(root: &Path) -> PathBuf {
    let base = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => {
            let t = PathBuf::from(t);
            if t.is_absolute() { t } else { root.join(t) }
        }
        _ => root.join("target"),
    };
    if std::env::var_os("WORKSHOP_NESTED_VERIFY").is_some() {
        base.join("verify")
    } else {
        base
    }
}

pub fn verify(
    ctx: &Ctx,
    rehash_first: bool,
    run_solutions: bool,
    run_variants: bool,
    allow_edited: bool,
    only: &[String],
) -> Result<i32> {
    let s = &ctx.style;
    let mut manifest_owned;
    let mut m = &ctx.manifest;
    if rehash_first {
        rehash(ctx)?;
        manifest_owned = Manifest::load(&ctx.root)?;
        m = &manifest_owned;
    } else {
        manifest_owned = ctx.manifest.clone();
        let _ = &mut manifest_owned;
    }
    let root = &ctx.root;
    let mut rep = Report {
        problems: Vec::new(),
        warnings: Vec::new(),
    };

    // 1. The manifest and the folders.
    structure(root, m, &mut rep);
    let structure_ok = rep.problems.is_empty();
    println!(
        "{} workshop.toml and the folders ({} lessons, {} exercises)",
        mark(ctx, structure_ok),
        m.lessons.len(),
        m.total_exercises()
    );

    // With --lesson, the steps below look at those lessons only.
    let chosen: Vec<&Lesson> = m
        .lessons
        .iter()
        .filter(|l| {
            only.is_empty()
                || only
                    .iter()
                    .any(|o| m.find(o).is_ok_and(|f| f.number == l.number))
        })
        .collect();

    // 2. Checks files, generated exercises.
    let before = rep.problems.len();
    for &l in &chosen {
        let checks = l.checks_file(root);
        match (&l.checks_sha256, util::sha256_file(&checks)) {
            (_, None) => {} // reported by structure()
            (None, _) => rep.problem(format!(
                "lesson {}: workshop.toml records no checks_sha256; after reviewing the checks run `cargo workshop verify --rehash`.",
                l.num()
            )),
            (Some(want), Some(got)) if *want != got => rep.problem(format!(
                "lesson {}: {} was modified (its sha256 is not the one in workshop.toml); restore it, or if the change is intended run `cargo workshop verify --rehash`.",
                l.num(),
                util::rel(root, &checks)
            )),
            _ => {}
        }
        match stubgen::differences(root, l) {
            Ok(d) if d.is_empty() => {}
            Ok(d) if allow_edited => println!(
                "{} lesson {}: {} edited (skipped)",
                s.dim("-"),
                l.num(),
                d.join(", ").replace(" differs", "")
            ),
            Ok(d) => rep.problem(format!(
                "lesson {}: exercises/ is not what the solution generates ({}); run `cargo workshop generate` and commit the result.",
                l.num(),
                d.join(", ")
            )),
            Err(e) => rep.problem(format!(
                "lesson {}: cannot generate the exercise from the solution: {e:#}",
                l.num()
            )),
        }
    }
    println!(
        "{} checks files unmodified, exercises/ equals what the solutions generate",
        mark(ctx, rep.problems.len() == before)
    );

    // 3. Exercises as shipped fail every check.
    let pristine: Vec<&Lesson> = chosen
        .iter()
        .copied()
        .filter(|l| matches!(stubgen::differences(root, l), Ok(d) if d.is_empty()))
        .collect();
    let runner = Runner {
        root,
        target_dir: Some(verify_target_dir(root)),
        spinner: util::stderr_is_tty(),
    };
    if !pristine.is_empty() {
        let before = rep.problems.len();
        let results = runner.run(&pristine, Side::Exercises)?;
        for (l, r) in pristine.iter().zip(&results) {
            if let Some(err) = &r.compile_error {
                rep.problem(format!(
                    "lesson {}: the exercise as shipped does not compile; a learner must start from code that builds:\n{}",
                    l.num(),
                    indent(err)
                ));
                continue;
            }
            for ex in &r.exercises {
                if ex.passed + ex.failed == 0 {
                    rep.problem(format!(
                        "lesson {}: exercise `{}` has no checks: tests/{}.rs needs a `mod {} {{ #[test] ... }}`.",
                        l.num(), ex.name, l.dir(), ex.name
                    ));
                } else if ex.passed > 0 {
                    let passing: Vec<String> = r
                        .tests
                        .iter()
                        .filter(|t| t.passed && t.name.starts_with(&format!("{}::", ex.name)))
                        .map(|t| t.name.clone())
                        .collect();
                    rep.problem(format!(
                        "lesson {}: the shipped stub passes {} check(s) of `{}` ({}); every check must fail on the stub, so tighten the check or the stub.",
                        l.num(),
                        ex.passed,
                        ex.name,
                        passing.join(", ")
                    ));
                }
            }
            for t in &r.stray {
                rep.problem(format!(
                    "lesson {}: check `{t}` belongs to no exercise; name its module after an exercise in workshop.toml.",
                    l.num()
                ));
            }
        }
        println!(
            "{} every exercise as shipped fails all of its checks ({} lessons)",
            mark(ctx, rep.problems.len() == before),
            pristine.len()
        );
    }

    // 4. Solutions pass.
    if run_solutions {
        let with_solution: Vec<&Lesson> = chosen
            .iter()
            .copied()
            .filter(|l| l.solution_file(root).is_file())
            .collect();
        let before = rep.problems.len();
        let results = runner.run(&with_solution, Side::Solutions)?;
        for (l, r) in with_solution.iter().zip(&results) {
            if let Some(err) = &r.compile_error {
                rep.problem(format!(
                    "lesson {}: the reference solution does not compile:\n{}",
                    l.num(),
                    indent(err)
                ));
                continue;
            }
            for ex in &r.exercises {
                if ex.status != Status::Solved {
                    let why = ex
                        .failures
                        .iter()
                        .map(|(n, msg)| format!("{n}: {}", msg.lines().next().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    rep.problem(format!(
                        "lesson {}: the reference solution fails `{}` ({why}); fix the solution or the check.",
                        l.num(),
                        ex.name
                    ));
                }
            }
            for t in &r.stray {
                rep.problem(format!(
                    "lesson {}: check `{t}` belongs to no exercise; name its module after an exercise in workshop.toml.",
                    l.num()
                ));
            }
        }
        println!(
            "{} every reference solution passes all of its checks",
            mark(ctx, rep.problems.len() == before)
        );
    }

    // 5. Alternatives pass, wrong solutions fail with their messages, fast.
    if run_variants {
        let with_solution: Vec<&Lesson> = chosen
            .iter()
            .copied()
            .filter(|l| l.solution_file(root).is_file())
            .collect();
        let before = rep.problems.len();
        let found = variants::discover(root, &with_solution)?;
        let outcomes = variants::run(
            root,
            &verify_target_dir(root),
            &found,
            util::stderr_is_tty(),
        )?;
        let mut wrong_times = Vec::new();
        for (v, o) in found.iter().zip(&outcomes) {
            if v.kind == variants::Kind::Wrong && o.elapsed > std::time::Duration::ZERO {
                wrong_times.push(o.elapsed);
            }
            if let Some(p) = &o.problem {
                rep.problem(format!("{}: {p}", v.label()));
            }
        }
        let alts = found
            .iter()
            .filter(|v| v.kind == variants::Kind::Alternative)
            .count();
        let wrongs = found.len() - alts;
        wrong_times.sort();
        let median = wrong_times
            .get(wrong_times.len() / 2)
            .map_or(0.0, |d| d.as_secs_f64());
        let max = wrong_times.last().map_or(0.0, |d| d.as_secs_f64());
        println!(
            "{} {alts} correct alternatives pass; {wrongs} wrong solutions fail with their messages (verdict median {median:.1} s, slowest {max:.1} s)",
            mark(ctx, rep.problems.len() == before)
        );
    }

    println!();
    for w in &rep.warnings {
        println!("{} {w}", s.yellow("warning:"));
    }
    if rep.problems.is_empty() {
        println!("{}", s.green("verify: the workshop is consistent."));
        Ok(0)
    } else {
        for p in &rep.problems {
            println!("{} {p}", s.red("problem:"));
        }
        println!();
        println!(
            "{}",
            s.red(&format!("verify: {} problem(s) found.", rep.problems.len()))
        );
        Ok(1)
    }
}

fn mark(ctx: &Ctx, ok: bool) -> String {
    if ok {
        ctx.style.green("✓")
    } else {
        ctx.style.red("✗")
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Folder names in `dir` (or file stems with `ext`), when `dir` exists.
fn entries(dir: &Path, ext: Option<&str>) -> Option<BTreeSet<String>> {
    let rd = std::fs::read_dir(dir).ok()?;
    Some(
        rd.filter_map(|e| e.ok())
            .filter_map(|e| {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    return None;
                }
                match ext {
                    None => p.is_dir().then_some(name),
                    Some(x) => name.strip_suffix(&format!(".{x}")).map(str::to_string),
                }
            })
            .collect(),
    )
}

fn structure(root: &Path, m: &Manifest, rep: &mut Report) {
    let mut numbers = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    let mut last = 0;
    for l in &m.lessons {
        if !numbers.insert(l.number) {
            rep.problem(format!(
                "workshop.toml lists lesson number {} twice; give each lesson its own number.",
                l.number
            ));
        }
        if !slugs.insert(l.slug.clone()) {
            rep.problem(format!("workshop.toml lists the slug `{}` twice; slugs must be unique (progress is keyed by them).", l.slug));
        }
        if l.number < last {
            rep.problem(format!(
                "lesson {} comes after lesson {} in workshop.toml; keep the lessons in order.",
                l.number, last
            ));
        }
        last = l.number;
        if l.slug.is_empty()
            || !l
                .slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            rep.problem(format!(
                "lesson {}: the slug `{}` must be lowercase letters, digits and dashes.",
                l.number, l.slug
            ));
        }
        if l.exercises.is_empty() {
            rep.problem(format!("lesson {}: workshop.toml lists no [[lesson.exercise]]; add one per `mod` in tests/{}.rs.", l.num(), l.dir()));
        }
        let mut names = BTreeSet::new();
        for e in &l.exercises {
            if !names.insert(e.name.clone()) {
                rep.problem(format!(
                    "lesson {}: exercise `{}` is listed twice in workshop.toml.",
                    l.num(),
                    e.name
                ));
            }
        }
        let dir = l.dir();
        for (kind, pkg) in [
            ("exercises", l.exercise_pkg()),
            ("solutions", l.solution_pkg()),
        ] {
            let cargo = root.join(kind).join(&dir).join("Cargo.toml");
            let lib = root.join(kind).join(&dir).join("src/lib.rs");
            if !cargo.is_file() || !lib.is_file() {
                rep.problem(format!(
                    "lesson {}: {kind}/{dir}/ is missing (it needs Cargo.toml and src/lib.rs); create it or fix the number/slug in workshop.toml.",
                    l.num()
                ));
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&cargo) else {
                continue;
            };
            let Ok(value) = text.parse::<toml::Table>() else {
                rep.problem(format!(
                    "lesson {}: {kind}/{dir}/Cargo.toml is not valid TOML; fix it.",
                    l.num()
                ));
                continue;
            };
            let name = value
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str());
            if name != Some(pkg.as_str()) {
                rep.problem(format!(
                    "lesson {}: {kind}/{dir}/Cargo.toml names the package `{}`; it must be `{pkg}`.",
                    l.num(),
                    name.unwrap_or("?")
                ));
            }
            let want_path = format!("../../tests/{dir}.rs");
            let has_check = value
                .get("test")
                .and_then(|t| t.as_array())
                .is_some_and(|tests| {
                    tests.iter().any(|t| {
                        t.get("name").and_then(|n| n.as_str()) == Some("check")
                            && t.get("path").and_then(|p| p.as_str()) == Some(want_path.as_str())
                    })
                });
            if !has_check {
                rep.problem(format!(
                    "lesson {}: {kind}/{dir}/Cargo.toml needs `[[test]] name = \"check\"  path = \"{want_path}\"`.",
                    l.num()
                ));
            }
        }
        if !l.checks_file(root).is_file() {
            rep.problem(format!(
                "lesson {}: the checks file tests/{dir}.rs is missing.",
                l.num()
            ));
        }
        if root.join("lessons").is_dir() && !root.join("lessons").join(&dir).is_dir() {
            rep.problem(format!("lesson {}: the demo crate lessons/{dir}/ is missing; create it or fix workshop.toml.", l.num()));
        }
        if root.join("book/src").is_dir() && !l.chapter(root).is_file() {
            rep.warnings.push(format!(
                "lesson {}: the chapter book/src/{dir}.md does not exist yet.",
                l.num()
            ));
        }
    }
    // The other way round: folders the manifest does not name.
    let known: BTreeSet<String> = m.lessons.iter().map(|l| l.dir()).collect();
    let places: [(&str, Option<&str>); 4] = [
        ("exercises", None),
        ("solutions", None),
        ("lessons", None),
        ("tests", Some("rs")),
    ];
    for (dir, ext) in places {
        let Some(found) = entries(&root.join(dir), ext) else {
            continue;
        };
        for name in found.difference(&known) {
            let shown = match ext {
                Some(x) => format!("{dir}/{name}.{x}"),
                None => format!("{dir}/{name}/"),
            };
            rep.problem(format!(
                "{shown} is not a lesson in workshop.toml; add a [[lesson]] for it (number and slug from its name) or remove it."
            ));
        }
    }
}

/// `verify --rehash`: records the current checks files as the shipped ones
/// (the hash lines in workshop.toml; only those lines change, see
/// manifest::rehash_text).
fn rehash(ctx: &Ctx) -> Result<()> {
    let root = &ctx.root;
    let mut hashes = BTreeMap::new();
    for l in &ctx.manifest.lessons {
        let Some(sha) = util::sha256_file(&l.checks_file(root)) else {
            println!(
                "{} lesson {}: not rehashed (its checks file is missing)",
                ctx.style.yellow("-"),
                l.num()
            );
            continue;
        };
        hashes.insert(l.slug.clone(), sha);
    }
    let path = root.join("workshop.toml");
    let text = std::fs::read_to_string(&path)?;
    let new = manifest::rehash_text(&text, &hashes)?;
    if new != text {
        util::write_atomic(&path, new.as_bytes())?;
        println!("rehash: updated checks_sha256 in workshop.toml");
    } else {
        println!("rehash: workshop.toml was already up to date");
    }
    Ok(())
}

/// `cargo workshop generate [--check]`: exercises/ from the solutions.
pub fn generate(ctx: &Ctx, check: bool) -> Result<i32> {
    let mut differs = 0;
    for l in &ctx.manifest.lessons {
        if check {
            for d in stubgen::differences(&ctx.root, l)? {
                println!("{d}");
                differs += 1;
            }
        } else {
            for f in stubgen::write_lesson(&ctx.root, l)? {
                println!("wrote {f}");
            }
        }
    }
    if check && differs > 0 {
        println!("run `cargo workshop generate` to bring exercises/ up to date");
        return Ok(1);
    }
    Ok(0)
}
