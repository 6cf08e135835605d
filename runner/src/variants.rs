//! Alternative and wrong solutions, kept as tests of the checks.
//!
//! `solutions/NN-slug/alternatives/NAME.rs` is another correct design: with
//! its regions spliced into the reference solution (see `stubgen::splice`),
//! every check of the lesson must pass. `solutions/NN-slug/wrong/NAME.rs` is
//! a realistic mistake: the checks of the exercises it touches must fail,
//! with every `//! message: TEXT` line of its header found in a failure, and
//! the verdict must come within the time limit.
//!
//! Each variant becomes a crate in a scratch workspace under the verify
//! target dir (`variants-ws/`), built in one cargo run that shares the
//! dependencies' artifacts, then its check binary is run on its own.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::checks::parse_libtest;
use crate::manifest::Lesson;
use crate::stubgen;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Alternative,
    Wrong,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Alternative => "alternatives",
            Kind::Wrong => "wrong",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Variant<'a> {
    pub lesson: &'a Lesson,
    pub kind: Kind,
    pub name: String,
    pub path: PathBuf,
    /// For wrong solutions: texts the failure must contain.
    pub messages: Vec<String>,
    /// The exercises whose regions it replaces.
    pub exercises: Vec<String>,
}

impl Variant<'_> {
    pub fn label(&self) -> String {
        format!(
            "solutions/{}/{}/{}.rs",
            self.lesson.dir(),
            self.kind.dir(),
            self.name
        )
    }
    fn package(&self) -> String {
        let clean: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let kind = match self.kind {
            Kind::Alternative => "alt",
            Kind::Wrong => "wrong",
        };
        format!("v{}-{kind}-{clean}", self.lesson.num())
    }
}

#[derive(Debug)]
pub struct Outcome {
    /// `None` when it behaved as its kind says; else what went wrong.
    pub problem: Option<String>,
    /// How long its check run took.
    pub elapsed: Duration,
}

/// The variants of these lessons, in lesson order then by name.
pub fn discover<'a>(root: &Path, lessons: &[&'a Lesson]) -> Result<Vec<Variant<'a>>> {
    let mut out = Vec::new();
    for &lesson in lessons {
        for kind in [Kind::Alternative, Kind::Wrong] {
            let dir = lesson.solution_dir(root).join(kind.dir());
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect();
            files.sort();
            for path in files {
                let text = std::fs::read_to_string(&path)?;
                let mut exercises: Vec<String> = stubgen::regions(&text)
                    .with_context(|| format!("{}", path.display()))?
                    .into_iter()
                    .map(|(n, _)| stubgen::exercise_of(&n).to_string())
                    .filter(|n| n != stubgen::TOP)
                    .collect();
                exercises.dedup();
                out.push(Variant {
                    lesson,
                    kind,
                    name: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    messages: stubgen::header(&text, "message"),
                    exercises,
                    path,
                });
            }
        }
    }
    Ok(out)
}

/// Writes `contents` unless the file already holds exactly that (so cargo's
/// fingerprints stay fresh and nothing is rebuilt needlessly).
fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

/// Makes every relative `path = "..."` in a dependency table absolute.
fn absolutize_deps(table: &mut toml::Table, base: &Path) {
    for (_, dep) in table.iter_mut() {
        if let Some(t) = dep.as_table_mut()
            && let Some(p) = t.get("path").and_then(|p| p.as_str())
        {
            let abs = base.join(p);
            t.insert(
                "path".into(),
                toml::Value::String(abs.to_string_lossy().replace('\\', "/")),
            );
        }
    }
}

fn deps_tables(t: &mut toml::Table, base: &Path) {
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(d) = t.get_mut(key).and_then(|d| d.as_table_mut()) {
            absolutize_deps(d, base);
        }
    }
}

/// The scratch workspace's Cargo.toml: the real workspace's shared package
/// keys, dependencies (paths made absolute), lints and profiles.
fn workspace_manifest(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let real: toml::Table = text.parse().context("the workspace Cargo.toml")?;
    let mut ws = toml::Table::new();
    let mut w = toml::Table::new();
    w.insert("resolver".into(), "3".into());
    w.insert(
        "members".into(),
        toml::Value::Array(vec![toml::Value::String("v/*".into())]),
    );
    if let Some(real_ws) = real.get("workspace").and_then(|w| w.as_table()) {
        for key in ["package", "lints"] {
            if let Some(v) = real_ws.get(key) {
                w.insert(key.into(), v.clone());
            }
        }
        if let Some(deps) = real_ws.get("dependencies").and_then(|d| d.as_table()) {
            let mut deps = deps.clone();
            absolutize_deps(&mut deps, root);
            w.insert("dependencies".into(), toml::Value::Table(deps));
        }
    }
    ws.insert("workspace".into(), toml::Value::Table(w));
    if let Some(p) = real.get("profile") {
        ws.insert("profile".into(), p.clone());
    }
    Ok(format!(
        "# Generated by `cargo workshop verify`: one crate per alternative or wrong solution.\n{}",
        toml::to_string(&ws)?
    ))
}

/// The variant crate's Cargo.toml: the solution's, renamed, with absolute
/// paths and without examples or benches.
fn variant_manifest(root: &Path, v: &Variant) -> Result<String> {
    let dir = v.lesson.solution_dir(root);
    let text = std::fs::read_to_string(dir.join("Cargo.toml"))?;
    let mut t: toml::Table = text.parse().context("a solution's Cargo.toml")?;
    if let Some(p) = t.get_mut("package").and_then(|p| p.as_table_mut()) {
        p.insert("name".into(), v.package().into());
        for key in ["autoexamples", "autobenches", "autobins", "autotests"] {
            p.insert(key.into(), false.into());
        }
    }
    for key in ["example", "bench", "bin"] {
        t.remove(key);
    }
    deps_tables(&mut t, &dir);
    if let Some(tests) = t.get_mut("test").and_then(|x| x.as_array_mut()) {
        for test in tests {
            if let Some(tt) = test.as_table_mut()
                && let Some(p) = tt.get("path").and_then(|p| p.as_str())
            {
                let abs = dir.join(p).to_string_lossy().replace('\\', "/");
                tt.insert("path".into(), abs.into());
            }
        }
    }
    Ok(toml::to_string(&t)?)
}

/// The scratch workspace: its manifest, the crate dir of each variant that
/// could be spliced, and why the others could not (by variant index).
struct Layout {
    manifest: PathBuf,
    dirs: BTreeMap<usize, PathBuf>,
    broken: BTreeMap<usize, String>,
}

/// What one cargo build of the variants gave: check binaries and compile
/// errors by crate manifest path, and whether cargo succeeded.
struct Built {
    exes: BTreeMap<PathBuf, PathBuf>,
    errors: BTreeMap<PathBuf, String>,
    ok: bool,
}

/// Lays out the scratch workspace. Problems splicing a variant are
/// returned per variant.
fn layout(root: &Path, ws: &Path, variants: &[Variant]) -> Result<Layout> {
    write_if_changed(&ws.join("Cargo.toml"), &workspace_manifest(root)?)?;
    // Same dependency versions as the workshop; cargo adds the new members.
    let lock = root.join("Cargo.lock");
    if lock.is_file() && !ws.join("Cargo.lock").is_file() {
        std::fs::copy(&lock, ws.join("Cargo.lock"))?;
    }
    let mut dirs = BTreeMap::new();
    let mut broken = BTreeMap::new();
    for (i, v) in variants.iter().enumerate() {
        let crate_dir = ws.join("v").join(v.package());
        let solution = std::fs::read_to_string(v.lesson.solution_file(root))?;
        let variant = std::fs::read_to_string(&v.path)?;
        let lib = match stubgen::splice(&solution, &variant) {
            Ok(l) => l,
            Err(e) => {
                broken.insert(i, format!("{e:#}"));
                continue;
            }
        };
        write_if_changed(&crate_dir.join("Cargo.toml"), &variant_manifest(root, v)?)?;
        let src = v.lesson.solution_src(root);
        for rel in crate::util::files_under(&src)? {
            let text = if rel == Path::new("lib.rs") {
                lib.clone()
            } else {
                std::fs::read_to_string(src.join(&rel))?
            };
            write_if_changed(&crate_dir.join("src").join(&rel), &text)?;
        }
        dirs.insert(i, crate_dir);
    }
    // Crates of variants that are gone would still be built as members.
    if let Ok(rd) = std::fs::read_dir(ws.join("v")) {
        for e in rd.filter_map(|e| e.ok()) {
            if !dirs.values().any(|d| *d == e.path()) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(Layout {
        manifest: ws.join("Cargo.toml"),
        dirs,
        broken,
    })
}

/// Builds the check binaries of `pkgs`. Returns executables and compile
/// errors, both keyed by the crate's manifest path.
fn build(manifest: &Path, target_dir: &Path, pkgs: &[String]) -> Result<Built> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("test")
        .arg("--no-run")
        .arg("--message-format=json")
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target_dir);
    for p in pkgs {
        cmd.arg("-p").arg(p);
    }
    cmd.env_remove("RUSTC_WORKSPACE_WRAPPER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = cmd.output().context("could not run cargo")?;
    let mut exes = BTreeMap::new();
    let mut errors: BTreeMap<PathBuf, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(mp) = msg.get("manifest_path").and_then(|m| m.as_str()) else {
            continue;
        };
        let mp = PathBuf::from(mp);
        match msg.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-artifact") => {
                let is_check = msg
                    .pointer("/target/name")
                    .and_then(|n| n.as_str())
                    .is_some_and(|n| n == "check");
                if is_check && let Some(exe) = msg.get("executable").and_then(|e| e.as_str()) {
                    exes.insert(mp, PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                let level = msg.pointer("/message/level").and_then(|l| l.as_str());
                if level == Some("error")
                    && let Some(r) = msg.pointer("/message/rendered").and_then(|r| r.as_str())
                {
                    errors.entry(mp).or_default().push_str(r);
                }
            }
            _ => {}
        }
    }
    if !out.status.success() && errors.is_empty() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        anyhow::bail!("cargo could not build the variants:\n{}", tail.join("\n"));
    }
    Ok(Built {
        exes,
        errors,
        ok: out.status.success(),
    })
}

/// Runs one check binary (with `filters`), killing it after `limit`.
/// Returns (output, elapsed, whether it was killed).
fn run_binary(
    exe: &Path,
    dir: &Path,
    filters: &[String],
    limit: Duration,
) -> Result<(String, Duration, bool)> {
    let mut cmd = Command::new(exe);
    cmd.args(filters)
        .args(["--color", "never"])
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    let (mut reader, writer) = std::io::pipe()?;
    cmd.stdout(writer.try_clone()?).stderr(writer);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not run {}", exe.display()))?;
    drop(cmd);
    let reading = std::thread::spawn(move || {
        let mut raw = Vec::new();
        let _ = reader.read_to_end(&mut raw);
        raw
    });
    let mut killed = false;
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            killed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = start.elapsed();
    let raw = reading.join().unwrap_or_default();
    Ok((String::from_utf8_lossy(&raw).into_owned(), elapsed, killed))
}

/// How long a wrong solution may take to get its verdict.
pub fn verdict_limit() -> Duration {
    let secs = std::env::var("WORKSHOP_VERDICT_LIMIT_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(5.0);
    Duration::from_secs_f64(secs)
}

/// Judges one variant from its check run.
fn judge(v: &Variant, output: &str, killed: bool, elapsed: Duration) -> Option<String> {
    let tests = parse_libtest(output);
    let first_line = |m: &str| m.lines().next().unwrap_or("").to_string();
    match v.kind {
        Kind::Alternative => {
            if killed {
                return Some(format!(
                    "a correct alternative did not finish its checks in {:.0} s",
                    elapsed.as_secs_f64()
                ));
            }
            if tests.is_empty() {
                return Some("no check ran".into());
            }
            let failed: Vec<String> = tests
                .iter()
                .filter(|t| !t.passed)
                .map(|t| format!("{}: {}", t.name, first_line(&t.message)))
                .collect();
            (!failed.is_empty()).then(|| {
                format!(
                    "a correct alternative fails (a check that rejects a correct design is a bug in the check): {}",
                    failed.join("; ")
                )
            })
        }
        Kind::Wrong => {
            if killed {
                return Some(format!(
                    "no verdict: the checks were still running after {:.0} s",
                    elapsed.as_secs_f64()
                ));
            }
            let failed: Vec<_> = tests.iter().filter(|t| !t.passed).collect();
            if tests.is_empty() {
                return Some("no check of its exercise ran".into());
            }
            if failed.is_empty() {
                return Some(format!(
                    "a wrong solution passes every check of {}",
                    v.exercises.join(", ")
                ));
            }
            if v.messages.is_empty() {
                return Some(
                    "it has no `//! message: TEXT` line saying what its failure must say".into(),
                );
            }
            for m in &v.messages {
                if !failed.iter().any(|t| t.message.contains(m.as_str())) {
                    return Some(format!(
                        "it fails, but no failure says {m:?}; it said: {}",
                        failed
                            .iter()
                            .map(|t| format!("{}: {}", t.name, first_line(&t.message)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            }
            None
        }
    }
}

/// Builds and runs every variant; one outcome per variant, in order.
pub fn run(
    root: &Path,
    target_dir: &Path,
    variants: &[Variant],
    progress: bool,
) -> Result<Vec<Outcome>> {
    let ws = target_dir.join("variants-ws");
    let Layout {
        manifest,
        dirs,
        broken,
    } = layout(root, &ws, variants)?;
    let mut outcomes: Vec<Option<Outcome>> = (0..variants.len()).map(|_| None).collect();
    for (i, why) in &broken {
        outcomes[*i] = Some(Outcome {
            problem: Some(format!("cannot be spliced into the solution: {why}")),
            elapsed: Duration::ZERO,
        });
    }
    let mut pending: Vec<usize> = dirs.keys().copied().collect();
    let mut exes: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let spinner = progress.then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(format!(
            "building {} alternative and wrong solutions (cargo test --no-run)…",
            pending.len()
        ));
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    });
    // cargo stops at the first crate that does not compile: leave those out
    // and build the rest again.
    while !pending.is_empty() {
        let pkgs: Vec<String> = pending.iter().map(|&i| variants[i].package()).collect();
        let Built {
            exes: built,
            errors,
            ok,
        } = build(&manifest, target_dir, &pkgs)?;
        exes.extend(built);
        let mut failed_any = false;
        pending.retain(|&i| {
            let mp = dirs[&i].join("Cargo.toml");
            match errors.iter().find(|(p, _)| same_file(p, &mp)) {
                Some((_, err)) => {
                    outcomes[i] = Some(Outcome {
                        problem: Some(format!(
                            "does not compile (a variant must build and then meet the checks):\n{err}"
                        )),
                        elapsed: Duration::ZERO,
                    });
                    failed_any = true;
                    false
                }
                None => true,
            }
        });
        if ok || !failed_any {
            break;
        }
    }
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let limit = verdict_limit();
    for &i in &pending {
        let v = &variants[i];
        let mp = dirs[&i].join("Cargo.toml");
        let Some(exe) = exes
            .iter()
            .find(|(p, _)| same_file(p, &mp))
            .map(|(_, e)| e.clone())
        else {
            outcomes[i] = Some(Outcome {
                problem: Some("cargo built no check binary for it".into()),
                elapsed: Duration::ZERO,
            });
            continue;
        };
        let (filters, watchdog) = match v.kind {
            Kind::Alternative => (Vec::new(), Duration::from_secs(120)),
            Kind::Wrong => (
                v.exercises.iter().map(|e| format!("{e}::")).collect(),
                Duration::from_secs(60),
            ),
        };
        let (mut out, mut elapsed, mut killed) = run_binary(&exe, &dirs[&i], &filters, watchdog)?;
        if v.kind == Kind::Wrong && !killed && elapsed > limit {
            // One slow run can be the machine; two are the check.
            (out, elapsed, killed) = run_binary(&exe, &dirs[&i], &filters, watchdog)?;
        }
        let mut problem = judge(v, &out, killed, elapsed);
        if problem.is_none() && v.kind == Kind::Wrong && elapsed > limit {
            problem = Some(format!(
                "its verdict took {:.1} s (limit {:.0} s): a check waits longer than the mistake needs",
                elapsed.as_secs_f64(),
                limit.as_secs_f64()
            ));
        }
        if progress {
            eprint!(".");
        }
        outcomes[i] = Some(Outcome { problem, elapsed });
    }
    if progress && !pending.is_empty() {
        eprintln!();
    }
    Ok(outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or(Outcome {
                problem: Some("was not built".into()),
                elapsed: Duration::ZERO,
            })
        })
        .collect())
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || (a.canonicalize().ok().is_some() && a.canonicalize().ok() == b.canonicalize().ok())
}
