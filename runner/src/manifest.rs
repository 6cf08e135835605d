//! workshop.toml: the lessons in order, their exercises and hints.
//!
//! Unknown keys are ignored, so the manifest can grow without breaking older
//! runners. The runner adds one optional key per lesson, written by
//! `cargo workshop verify --rehash`: `checks_sha256` (of tests/NN-slug.rs).
//! The exercise files need no hash: they are generated from the solutions
//! (see `stubgen`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Manifest {
    #[serde(default)]
    pub workshop: Meta,
    #[serde(rename = "lesson", default)]
    pub lessons: Vec<Lesson>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Meta {
    #[serde(default)]
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Lesson {
    pub number: u32,
    pub slug: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub checks_sha256: Option<String>,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Exercise {
    pub name: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub hints: Vec<String>,
}

impl Lesson {
    /// `01-sync-vs-async`
    pub fn dir(&self) -> String {
        format!("{:02}-{}", self.number, self.slug)
    }
    /// `01`
    pub fn num(&self) -> String {
        format!("{:02}", self.number)
    }
    pub fn exercise_pkg(&self) -> String {
        format!("ex{}", self.dir())
    }
    pub fn solution_pkg(&self) -> String {
        format!("sol{}", self.dir())
    }
    pub fn exercise_file(&self, root: &Path) -> PathBuf {
        root.join("exercises").join(self.dir()).join("src/lib.rs")
    }
    pub fn solution_file(&self, root: &Path) -> PathBuf {
        root.join("solutions").join(self.dir()).join("src/lib.rs")
    }
    pub fn checks_file(&self, root: &Path) -> PathBuf {
        root.join("tests").join(format!("{}.rs", self.dir()))
    }
    pub fn exercise_src(&self, root: &Path) -> PathBuf {
        root.join("exercises").join(self.dir()).join("src")
    }
    pub fn solution_src(&self, root: &Path) -> PathBuf {
        root.join("solutions").join(self.dir()).join("src")
    }
    pub fn solution_dir(&self, root: &Path) -> PathBuf {
        root.join("solutions").join(self.dir())
    }
    pub fn chapter(&self, root: &Path) -> PathBuf {
        root.join("book/src").join(format!("{}.md", self.dir()))
    }
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }
    /// The exercise named `name`, or an error that lists the names.
    pub fn find_exercise(&self, name: &str) -> Result<&Exercise> {
        match self.exercise(name) {
            Some(e) => Ok(e),
            None => bail!(
                "lesson {} has no exercise `{name}`; its exercises are: {}.",
                self.num(),
                self.exercises
                    .iter()
                    .map(|e| format!("`{}`", e.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl Manifest {
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join("workshop.toml");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "could not read {}; run the command inside the workshop folder",
                path.display()
            )
        })?;
        Manifest::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Manifest> {
        match toml::from_str::<Manifest>(text) {
            Ok(m) => Ok(m),
            Err(e) => bail!(
                "workshop.toml is not valid: {}; fix that line (or restore the file from the repository).",
                e.to_string().trim().replace('\n', " ")
            ),
        }
    }

    /// Finds a lesson by `3`, `03`, `event-loop` or `03-event-loop`.
    pub fn find(&self, arg: &str) -> Result<&Lesson> {
        let arg = arg.trim();
        let found = if let Ok(n) = arg.parse::<u32>() {
            self.lessons.iter().find(|l| l.number == n)
        } else if let Some((num, slug)) = arg
            .split_once('-')
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        {
            let n: u32 = num.parse().unwrap_or(u32::MAX);
            let by_slug = self.lessons.iter().find(|l| l.slug == slug);
            let by_number = self.lessons.iter().find(|l| l.number == n);
            match (by_number, by_slug) {
                (Some(a), Some(b)) if a.number != b.number => bail!(
                    "`{arg}` names two lessons: lesson {} is `{}`, and `{}` is lesson {}; use the number or the slug alone.",
                    a.num(),
                    a.slug,
                    b.slug,
                    b.num()
                ),
                (_, Some(l)) => Some(l),
                _ => self.lessons.iter().find(|l| l.slug == arg),
            }
        } else {
            self.lessons.iter().find(|l| l.slug == arg)
        };
        match found {
            Some(l) => Ok(l),
            None => bail!(
                "there is no lesson `{arg}` in workshop.toml; use a number or a slug: {}.",
                self.lessons
                    .iter()
                    .map(|l| format!("{} ({})", l.number, l.slug))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn total_exercises(&self) -> usize {
        self.lessons.iter().map(|l| l.exercises.len()).sum()
    }
}

/// Updates `checks_sha256` for the lessons in `hashes` (slug -> sha256 of
/// the checks file) in the manifest's text, drops the `stub_sha256` lines
/// older runners wrote, keeping every other line
/// (comments, order, hints) as it is.
///
/// Existing lines are replaced in place; missing ones are added after the
/// lesson's last key (`title = ...`). The result is parsed again and compared
/// with the original, so a manifest laid out in a way this does not
/// understand is reported instead of damaged.
pub fn rehash_text(text: &str, hashes: &BTreeMap<String, String>) -> Result<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Section boundaries: indices of header lines.
    let headers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_header(l))
        .map(|(i, _)| i)
        .collect();
    // Work from the last section up so indices stay valid.
    for (k, &start) in headers.iter().enumerate().rev() {
        if header_name(&lines[start]) != "[[lesson]]" {
            continue;
        }
        let end = headers.get(k + 1).copied().unwrap_or(lines.len());
        let body = start + 1..end;
        let slug = body
            .clone()
            .find_map(|i| key_value(&lines[i], "slug"))
            .unwrap_or_default();
        let Some(checks) = hashes.get(&slug) else {
            continue;
        };
        let mut last_key = start;
        let mut found_checks = false;
        let mut stale = Vec::new();
        for i in body.clone() {
            let t = lines[i].trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            last_key = i;
            if key_value(&lines[i], "checks_sha256").is_some() {
                lines[i] = format!("checks_sha256 = \"{checks}\"");
                found_checks = true;
            } else if key_value(&lines[i], "stub_sha256").is_some() {
                stale.push(i);
            }
        }
        if !found_checks {
            lines.insert(last_key + 1, format!("checks_sha256 = \"{checks}\""));
        }
        for i in stale.into_iter().rev() {
            lines.remove(i);
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }

    // Check: same manifest apart from the hashes, and the hashes are right.
    let before = Manifest::parse(text)?;
    let after = Manifest::parse(&out)
        .context("the updated workshop.toml would not parse; add checks_sha256 by hand")?;
    let strip = |m: &Manifest| {
        let mut m = m.clone();
        for l in &mut m.lessons {
            l.checks_sha256 = None;
        }
        m
    };
    let mut ok = strip(&before) == strip(&after);
    for l in &after.lessons {
        if let Some(c) = hashes.get(&l.slug) {
            ok &= l.checks_sha256.as_deref() == Some(c);
        }
    }
    if !ok {
        bail!(
            "could not update workshop.toml safely (its layout is unusual); put \
             `checks_sha256 = \"...\"` under each [[lesson]]'s title by hand."
        );
    }
    Ok(out)
}

fn is_header(line: &str) -> bool {
    let t = line.trim();
    let t = t.split('#').next().unwrap_or("").trim();
    (t.starts_with("[[") && t.ends_with("]]") || t.starts_with('[') && t.ends_with(']'))
        && t.trim_matches(|c| c == '[' || c == ']')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-. ".contains(c))
        && t.len() > 2
}

fn header_name(line: &str) -> String {
    line.split('#')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The string value of `key = "value"` on this line, if it is that key.
fn key_value(line: &str, key: &str) -> Option<String> {
    let t = line.trim_start();
    let rest = t.strip_prefix(key)?;
    let rest = rest.trim_start().strip_prefix('=')?.trim();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = r#"# comment
[workshop]
title = "T"

[[lesson]]
number = 1
slug = "one"
title = "One" # trailing

[[lesson.exercise]]
name = "a"
hints = [
  "[not a header]",
]

[[lesson]]
number = 3
slug = "three"
title = "Three"
checks_sha256 = "old"
stub_sha256 = "old"
future_key = 1

[[lesson.exercise]]
name = "b"
"#;

    #[test]
    fn finds_lessons_by_number_or_slug() {
        let m = Manifest::parse(M).unwrap();
        assert_eq!(m.find("3").unwrap().slug, "three");
        assert_eq!(m.find("03").unwrap().slug, "three");
        assert_eq!(m.find("three").unwrap().number, 3);
        assert_eq!(m.find("03-three").unwrap().number, 3);
        assert_eq!(m.find("1-one").unwrap().number, 1);
        let err = m.find("2").unwrap_err().to_string();
        assert!(err.contains("1 (one), 3 (three)"), "{err}");
        let err = m.find("01-three").unwrap_err().to_string();
        assert!(
            err.contains("lesson 01 is `one`") && err.contains("`three` is lesson 03"),
            "{err}"
        );
    }

    #[test]
    fn rehash_inserts_and_replaces() {
        let mut h = BTreeMap::new();
        h.insert("one".to_string(), "c1".to_string());
        h.insert("three".to_string(), "c3".to_string());
        let out = rehash_text(M, &h).unwrap();
        assert!(out.starts_with("# comment\n"));
        assert!(
            out.contains(
                "title = \"One\" # trailing\nchecks_sha256 = \"c1\"\n\n[[lesson.exercise]]"
            )
        );
        assert!(
            out.contains("checks_sha256 = \"c3\"\nfuture_key = 1"),
            "the old stub_sha256 line is dropped"
        );
        assert!(out.contains("\"[not a header]\""));
        // Idempotent.
        assert_eq!(rehash_text(&out, &h).unwrap(), out);
    }
}
