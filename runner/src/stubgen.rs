//! One source per lesson: the exercise stubs are generated from the reference
//! solutions, and alternative or wrong solutions are spliced into them.
//!
//! A solution file marks what the learner writes with mdBook anchor comments
//! (so a chapter that includes the solution shows no marker lines):
//!
//! ```text
//! /// The contract: doc comments stay in the stub.
//! pub async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
//!     // ANCHOR: learn-both
//!     future::zip(a, b).await
//!     // ANCHOR_END: learn-both
//! }
//! ```
//!
//! * `// ANCHOR: learn-NAME` … `// ANCHOR_END: learn-NAME`: a region the
//!   learner writes. NAME is the exercise (`both`), or `EXERCISE-PART` when
//!   one exercise has several regions (`block_on-waker`). In the stub the
//!   region becomes `todo!()` at the marker's indentation, or, when the
//!   region holds `//~ ` lines, those lines without the `//~ ` (the stub's
//!   own text for that region, e.g. nothing but a comment where the learner
//!   writes whole items).
//! * `//~ TEXT` outside a region: a line only the stub has.
//! * `// solution:begin` … `// solution:end`: lines only the solution has.
//! * `// ANCHOR: x` / `// ANCHOR_END: x` (mdBook's include anchors) are left
//!   out of the stub.
//!
//! Alternative and wrong solutions (`solutions/NN-slug/{alternatives,wrong}/
//! NAME.rs`) hold regions with the same markers; [`splice`] puts them in place
//! of the reference's regions. A region named `learn-@top` is appended at the
//! end of the file (for helper items and imports a variant needs).

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::manifest::Lesson;

const BEGIN: &str = "// ANCHOR: learn-";
const END: &str = "// ANCHOR_END: learn-";
const SOL_BEGIN: &str = "// solution:begin";
const SOL_END: &str = "// solution:end";
const STUB_LINE: &str = "//~";
/// The region name of a variant's extra top-level items.
pub const TOP: &str = "@top";

/// A generated stub and where each learner region landed in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stub {
    pub text: String,
    pub regions: Vec<StubRegion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StubRegion {
    /// The region's name as written (`both`, `block_on-waker`).
    pub name: String,
    /// Lines of the stub (0-based, end exclusive) that stand for the region.
    pub lines: Range<usize>,
}

impl StubRegion {
    /// The exercise this region belongs to: the name before any `-`.
    pub fn exercise(&self) -> &str {
        exercise_of(&self.name)
    }
}

pub fn exercise_of(name: &str) -> &str {
    name.split('-').next().unwrap_or(name)
}

/// Line endings as `\n` only, so a checkout with CRLF compares equal.
pub fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// `//~ TEXT` → `TEXT` at the comment's indentation; `None` for other lines.
fn stub_line(line: &str) -> Option<String> {
    let t = line.trim_start();
    let rest = t.strip_prefix(STUB_LINE)?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    if rest.is_empty() {
        Some(String::new())
    } else {
        Some(format!("{}{rest}", indent_of(line)))
    }
}

fn region_name(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix(BEGIN)
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

fn end_name(trimmed: &str) -> Option<&str> {
    trimmed.strip_prefix(END).map(str::trim)
}

fn is_anchor(trimmed: &str) -> bool {
    trimmed.starts_with("// ANCHOR:") || trimmed.starts_with("// ANCHOR_END:")
}

/// The stub for one solution file.
pub fn generate(source: &str) -> Result<Stub> {
    let source = normalize(source);
    let mut out: Vec<String> = Vec::new();
    let mut regions = Vec::new();
    // (name, indentation, stub lines, line number of the begin marker)
    let mut open: Option<(String, String, Vec<String>, usize)> = None;
    let mut solution_only: Option<usize> = None;
    for (i, line) in source.lines().enumerate() {
        let t = line.trim_start();
        let lineno = i + 1;
        if let Some(start) = solution_only {
            if t.starts_with(BEGIN) || t.starts_with(SOL_BEGIN) {
                bail!("line {lineno}: a region begins inside the `{SOL_BEGIN}` of line {start}");
            }
            if t.starts_with(SOL_END) {
                solution_only = None;
            }
            continue;
        }
        if let Some((name, indent, stub, start)) = &mut open {
            if let Some(end) = end_name(t) {
                if end != name {
                    bail!(
                        "line {lineno}: `{END}{end}` closes the region `{name}` that begins on line {start}; name it `{END}{name}`"
                    );
                }
                let first = out.len();
                if stub.is_empty() {
                    out.push(format!("{indent}todo!()"));
                } else {
                    out.append(stub);
                }
                regions.push(StubRegion {
                    name: name.clone(),
                    lines: first..out.len(),
                });
                open = None;
            } else if t.starts_with(BEGIN) || t.starts_with(SOL_BEGIN) || t.starts_with(SOL_END) {
                bail!(
                    "line {lineno}: a marker inside the region `{name}` that begins on line {start}; regions do not nest"
                );
            } else if let Some(s) = stub_line(line) {
                stub.push(s);
            }
            continue;
        }
        if t.starts_with(BEGIN) {
            let Some(name) = region_name(t) else {
                bail!("line {lineno}: `{BEGIN}` needs the exercise's name right after it");
            };
            if regions.iter().any(|r: &StubRegion| r.name == name) {
                bail!(
                    "line {lineno}: a second region named `{name}`; name the parts `{name}-a`, `{name}-b`"
                );
            }
            open = Some((
                name.to_string(),
                indent_of(line).to_string(),
                Vec::new(),
                lineno,
            ));
        } else if t.starts_with(END) {
            bail!("line {lineno}: `{END}` without a `{BEGIN}` before it");
        } else if t.starts_with(SOL_BEGIN) {
            solution_only = Some(lineno);
        } else if t.starts_with(SOL_END) {
            bail!("line {lineno}: `{SOL_END}` without a `{SOL_BEGIN}` before it");
        } else if is_anchor(t) {
            continue;
        } else if let Some(s) = stub_line(line) {
            out.push(s);
        } else {
            out.push(line.to_string());
        }
    }
    if let Some((name, _, _, start)) = open {
        bail!("the region `{name}` that begins on line {start} has no `{END}`");
    }
    if let Some(start) = solution_only {
        bail!("the `{SOL_BEGIN}` on line {start} has no `{SOL_END}`");
    }
    // Dropped lines can leave two blank lines in a row; rustfmt keeps one.
    let mut text = String::new();
    let mut kept_lines = 0usize;
    let mut map = Vec::with_capacity(out.len()); // old line -> new line
    let mut prev_blank = false;
    for line in &out {
        let blank = line.trim().is_empty();
        map.push(kept_lines);
        if blank && prev_blank {
            continue;
        }
        prev_blank = blank;
        text.push_str(line);
        text.push('\n');
        kept_lines += 1;
    }
    map.push(kept_lines);
    for r in &mut regions {
        r.lines = map[r.lines.start]..map[r.lines.end].max(map[r.lines.start]);
    }
    Ok(Stub { text, regions })
}

/// A solution file as a reader wants to see it: without the book's anchors,
/// the region markers and the stub's `//~` lines.
pub fn clean_solution(source: &str) -> String {
    let mut out = String::new();
    for line in normalize(source).lines() {
        let t = line.trim_start();
        let marker = [BEGIN, END, SOL_BEGIN, SOL_END, STUB_LINE]
            .iter()
            .any(|m| t.starts_with(m));
        if !marker && !is_anchor(t) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The learner regions of a solution or variant file: (name, the lines
/// between the markers).
pub fn regions(source: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut open: Option<(String, String)> = None;
    for (i, line) in normalize(source).lines().enumerate() {
        let t = line.trim_start();
        if let Some((name, body)) = &mut open {
            if end_name(t).is_some() {
                found.push((std::mem::take(name), std::mem::take(body)));
                open = None;
            } else if t.starts_with(BEGIN) {
                bail!("line {}: regions do not nest (inside `{name}`)", i + 1);
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if t.starts_with(BEGIN) {
            let Some(name) = region_name(t) else {
                bail!("line {}: `{BEGIN}` needs a name", i + 1);
            };
            open = Some((name.to_string(), String::new()));
        } else if t.starts_with(END) {
            bail!("line {}: `{END}` without a `{BEGIN}`", i + 1);
        }
    }
    if let Some((name, _)) = open {
        bail!("the region `{name}` has no `{END}`");
    }
    Ok(found)
}

/// The reference solution with the regions of `variant` in place of its own.
/// Regions the variant does not name keep the reference's code.
pub fn splice(solution: &str, variant: &str) -> Result<String> {
    let mut replace = regions(variant)?;
    let known = regions(solution)?;
    for (name, _) in &replace {
        if name != TOP && !known.iter().any(|(n, _)| n == name) {
            bail!(
                "the region `{name}` is not in the reference solution (its regions: {})",
                known
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let top: Vec<String> = replace
        .iter()
        .filter(|(n, _)| n == TOP)
        .map(|(_, b)| b.clone())
        .collect();
    replace.retain(|(n, _)| n != TOP);
    let mut out = String::new();
    let mut skipping = false;
    for line in normalize(solution).lines() {
        let t = line.trim_start();
        if skipping {
            if end_name(t).is_some() {
                skipping = false;
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if let Some(name) = region_name(t)
            && let Some((_, body)) = replace.iter().find(|(n, _)| n == name)
        {
            out.push_str(body);
            skipping = true;
        }
    }
    for body in top {
        out.push('\n');
        out.push_str(&body);
    }
    Ok(out)
}

/// The `//! key: value` lines at the top of a variant file.
pub fn header(variant: &str, key: &str) -> Vec<String> {
    let prefix = format!("//! {key}:");
    normalize(variant)
        .lines()
        .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.trim().to_string())
        .collect()
}

/// Every `.rs` file under `dir`, as paths relative to it, sorted.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(crate::util::files_under(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect())
}

/// The generated exercise sources of a lesson: (path relative to the
/// exercise's `src/`, stub), one per `.rs` file of the solution's `src/`.
pub fn lesson_files(root: &Path, lesson: &Lesson) -> Result<Vec<(PathBuf, Stub)>> {
    let src = lesson.solution_src(root);
    let mut out = Vec::new();
    for rel in rust_files(&src)? {
        let path = src.join(&rel);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", path.display()))?;
        let stub = generate(&text).with_context(|| format!("{}", path.display()))?;
        out.push((rel, stub));
    }
    Ok(out)
}

/// The generated `src/lib.rs` of a lesson's exercise.
pub fn lesson_stub(root: &Path, lesson: &Lesson) -> Result<Stub> {
    let path = lesson.solution_file(root);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read {}", path.display()))?;
    generate(&text).with_context(|| format!("{}", path.display()))
}

/// How `exercises/NN-slug/src/` differs from what the solution generates:
/// one line per file that is missing, different or extra.
pub fn differences(root: &Path, lesson: &Lesson) -> Result<Vec<String>> {
    let want = lesson_files(root, lesson)?;
    let dir = lesson.exercise_src(root);
    let have = if dir.is_dir() {
        rust_files(&dir)?
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (rel, stub) in &want {
        let shown = format!("exercises/{}/src/{}", lesson.dir(), rel.display()).replace('\\', "/");
        match std::fs::read_to_string(dir.join(rel)) {
            Err(_) => out.push(format!("{shown} is missing")),
            Ok(t) if normalize(&t) != stub.text => out.push(format!("{shown} differs")),
            Ok(_) => {}
        }
    }
    for rel in have {
        if !want.iter().any(|(w, _)| *w == rel) {
            out.push(format!(
                "exercises/{}/src/{} has no source in solutions/",
                lesson.dir(),
                rel.display()
            ));
        }
    }
    Ok(out)
}

/// Writes the generated exercise sources of `lesson`, removes stale ones,
/// and returns the files it changed.
pub fn write_lesson(root: &Path, lesson: &Lesson) -> Result<Vec<String>> {
    let want = lesson_files(root, lesson)?;
    let dir = lesson.exercise_src(root);
    let mut changed = Vec::new();
    for (rel, stub) in &want {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().map(|t| normalize(&t)) != Some(stub.text.clone()) {
            crate::util::write_atomic(&path, stub.text.as_bytes())?;
            changed.push(crate::util::rel(root, &path));
        }
    }
    if dir.is_dir() {
        for rel in rust_files(&dir)? {
            if !want.iter().any(|(w, _)| *w == rel) {
                let path = dir.join(&rel);
                std::fs::remove_file(&path)?;
                changed.push(format!("{} (removed)", crate::util::rel(root, &path)));
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOL: &str = "\
//! Lesson 01.
// solution:begin
//! Reference solutions.
// solution:end
//~ //! Replace each todo!().
//~ #![allow(unused_variables)]

use x::y;

// ANCHOR: both
/// Wait for both.
pub async fn both() -> u32 {
    // ANCHOR: learn-both
    // zip polls both.
    zip().await
    // ANCHOR_END: learn-both
}
// ANCHOR_END: both

// ANCHOR: learn-helper-waker
//~ // Your waker type goes here.
struct W;

impl W {}
// ANCHOR_END: learn-helper-waker

fn given() {}
";

    #[test]
    fn generates_the_stub_and_maps_its_regions() {
        let stub = generate(SOL).unwrap();
        assert_eq!(
            stub.text,
            "\
//! Lesson 01.
//! Replace each todo!().
#![allow(unused_variables)]

use x::y;

/// Wait for both.
pub async fn both() -> u32 {
    todo!()
}

// Your waker type goes here.

fn given() {}
"
        );
        let lines: Vec<&str> = stub.text.lines().collect();
        assert_eq!(stub.regions.len(), 2);
        assert_eq!(stub.regions[0].name, "both");
        assert_eq!(lines[stub.regions[0].lines.clone()], ["    todo!()"]);
        assert_eq!(stub.regions[1].exercise(), "helper");
        assert_eq!(
            lines[stub.regions[1].lines.clone()],
            ["// Your waker type goes here."]
        );
    }

    #[test]
    fn crlf_gives_the_same_stub() {
        assert_eq!(
            generate(&SOL.replace('\n', "\r\n")).unwrap(),
            generate(SOL).unwrap()
        );
    }

    #[test]
    fn unbalanced_markers_are_errors_with_a_line_number() {
        let e = generate("fn a() {\n    // ANCHOR: learn-a\n}\n").unwrap_err();
        assert!(e.to_string().contains("no `// ANCHOR_END: learn-`"), "{e}");
        let e = generate("// ANCHOR_END: learn-a\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = generate("// ANCHOR: learn-a\n// ANCHOR: learn-b\n").unwrap_err();
        assert!(e.to_string().contains("do not nest"), "{e}");
        let e = generate("// ANCHOR: learn-a\n// ANCHOR_END: learn-b\n").unwrap_err();
        assert!(e.to_string().contains("closes the region `a`"), "{e}");
        let e = generate(
            "// ANCHOR: learn-a\n// ANCHOR_END: learn-a\n// ANCHOR: learn-a\n// ANCHOR_END: learn-a\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("second region"), "{e}");
    }

    #[test]
    fn splices_a_variant_and_appends_top_items() {
        let variant = "\
//! wrong: waits in line
//! message: at the same time
// ANCHOR: learn-both
    let a = a().await;
    a
// ANCHOR_END: learn-both
// ANCHOR: learn-@top
fn extra() {}
// ANCHOR_END: learn-@top
";
        assert_eq!(header(variant, "message"), ["at the same time"]);
        let out = splice(SOL, variant).unwrap();
        assert!(out.contains(
            "    // ANCHOR: learn-both\n    let a = a().await;\n    a\n    // ANCHOR_END: learn-both\n"
        ));
        assert!(!out.contains("zip().await"));
        assert!(
            out.contains("struct W;"),
            "other regions keep the reference"
        );
        assert!(out.ends_with("\nfn extra() {}\n"));
        let e = splice(SOL, "// ANCHOR: learn-nope\n// ANCHOR_END: learn-nope\n").unwrap_err();
        assert!(e.to_string().contains("`both`, `helper-waker`"), "{e}");
    }
}
