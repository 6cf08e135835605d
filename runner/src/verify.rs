//! `cargo workshop verify`: the workshop is consistent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Ctx;
use crate::checks::{Runner, Side};
use crate::manifest::{self, Lesson, Manifest};
use crate::state::Status;
use crate::util;

struct Report {
    problems: Vec<String>,
    warnings: Vec<String>,
}

impl Report {
    fn problem(&mut self, s: String) {
        self.problems.push(s);
    }
}

/// The target dir for verify's own cargo runs: `<target>/verify`, so they
/// never wait for the build lock of an outer `cargo test`.
pub fn verify_target_dir(root: &Path) -> PathBuf {
    let base = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => {
            let t = PathBuf::from(t);
            if t.is_absolute() { t } else { root.join(t) }
        }
        _ => root.join("target"),
    };
    base.join("verify")
}

pub fn verify(ctx: &Ctx, rehash_first: bool, run_solutions: bool) -> Result<i32> {
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

    // 2. Checks files, stub copies.
    let before = rep.problems.len();
    for l in &m.lessons {
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
        let copy = l.stub_copy(root);
        match (&l.stub_sha256, util::sha256_file(&copy)) {
            (None, _) => rep.problem(format!(
                "lesson {}: workshop.toml records no stub_sha256; run `cargo workshop verify --rehash` with the exercise file as shipped.",
                l.num()
            )),
            (Some(_), None) => rep.problem(format!(
                "lesson {}: the pristine copy {} is missing (reset needs it); run `cargo workshop verify --rehash`.",
                l.num(),
                util::rel(root, &copy)
            )),
            (Some(want), Some(got)) if *want != got => rep.problem(format!(
                "lesson {}: the pristine copy {} does not match stub_sha256; run `cargo workshop verify --rehash` with the exercise file as shipped.",
                l.num(),
                util::rel(root, &copy)
            )),
            _ => {}
        }
    }
    println!(
        "{} checks files unmodified, pristine copies in {} match",
        mark(ctx, rep.problems.len() == before),
        manifest::STUBS_DIR
    );

    // 3. Exercises as shipped fail every check.
    let mut pristine = Vec::new();
    for l in &m.lessons {
        let f = l.exercise_file(root);
        let Some(sha) = util::sha256_file(&f) else {
            continue;
        };
        if l.stub_sha256.as_deref() == Some(sha.as_str()) {
            pristine.push(l);
        } else if l.stub_sha256.is_some() {
            println!(
                "{} lesson {}: {} edited (skipped)",
                s.dim("-"),
                l.num(),
                util::rel(root, &f)
            );
        }
    }
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
        let with_solution: Vec<&Lesson> = m
            .lessons
            .iter()
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
    let places: [(&str, Option<&str>); 5] = [
        ("exercises", None),
        ("solutions", None),
        ("lessons", None),
        ("tests", Some("rs")),
        (manifest::STUBS_DIR, Some("rs")),
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

/// `verify --rehash`: records the current checks and exercise files as the
/// shipped ones: writes runner/stubs/NN-slug.rs and the hash lines in
/// workshop.toml (only those lines change; see manifest::rehash_text).
fn rehash(ctx: &Ctx) -> Result<()> {
    let root = &ctx.root;
    let mut hashes = BTreeMap::new();
    let stubs = root.join(manifest::STUBS_DIR);
    for l in &ctx.manifest.lessons {
        let (Ok(checks), Ok(stub)) = (
            std::fs::read(l.checks_file(root)),
            std::fs::read(l.exercise_file(root)),
        ) else {
            println!(
                "{} lesson {}: not rehashed (its checks or exercise file is missing)",
                ctx.style.yellow("-"),
                l.num()
            );
            continue;
        };
        util::write_atomic(&l.stub_copy(root), &stub)?;
        hashes.insert(
            l.slug.clone(),
            (util::sha256_hex(&checks), util::sha256_hex(&stub)),
        );
    }
    // Pristine copies of lessons that are gone (or renumbered).
    let known: BTreeSet<String> = ctx
        .manifest
        .lessons
        .iter()
        .map(|l| format!("{}.rs", l.dir()))
        .collect();
    if let Ok(rd) = std::fs::read_dir(&stubs) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") && !known.contains(&name) {
                std::fs::remove_file(e.path())?;
                println!("removed {}/{name} (no such lesson)", manifest::STUBS_DIR);
            }
        }
    }
    let path = root.join("workshop.toml");
    let text = std::fs::read_to_string(&path)?;
    let new = manifest::rehash_text(&text, &hashes)?;
    if new != text {
        util::write_atomic(&path, new.as_bytes())?;
        println!(
            "rehash: updated checks_sha256/stub_sha256 in workshop.toml and {}/",
            manifest::STUBS_DIR
        );
    } else {
        println!("rehash: workshop.toml was already up to date");
    }
    Ok(())
}
