//! The book's self-check answers are the real output of real programs.
//!
//! Every lesson chapter ends with "predict what happens" questions. Each
//! answer in the book is marked
//!
//! ````text
//! <!-- output: lessonNN-slug quizNN_name -->
//! ```text
//! exactly what the program prints
//! ```
//! ````
//!
//! and the program is `lessons/NN-slug/examples/quizNN_name.rs`. This test
//! runs every such program and compares what it prints with the answer, so
//! an answer can never drift from what the code really does. Every lesson
//! chapter needs at least three.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Answer {
    chapter: String,
    package: String,
    example: String,
    expected: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn answers(root: &Path) -> Vec<Answer> {
    let mut out = Vec::new();
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(root.join("book/src"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    chapters.sort();
    for path in chapters {
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\r\n", "\n");
        let chapter = path.file_name().unwrap().to_string_lossy().into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let Some(rest) = lines[i]
                .trim()
                .strip_prefix("<!-- output:")
                .and_then(|r| r.strip_suffix("-->"))
            else {
                i += 1;
                continue;
            };
            let mut parts = rest.split_whitespace();
            let (Some(package), Some(example)) = (parts.next(), parts.next()) else {
                panic!(
                    "{chapter}:{}: write `<!-- output: PACKAGE EXAMPLE -->`",
                    i + 1
                );
            };
            let fence = lines[i + 1..]
                .iter()
                .position(|l| !l.trim().is_empty())
                .map(|k| i + 1 + k);
            let Some(start) = fence.filter(|&k| lines[k].trim() == "```text") else {
                panic!(
                    "{chapter}:{}: the output marker must be followed by a ```text block",
                    i + 1
                );
            };
            let end = lines[start + 1..]
                .iter()
                .position(|l| l.trim() == "```")
                .map(|k| start + 1 + k)
                .unwrap_or_else(|| {
                    panic!("{chapter}:{}: the ```text block is not closed", start + 1)
                });
            out.push(Answer {
                chapter: chapter.clone(),
                package: package.to_string(),
                example: example.to_string(),
                expected: lines[start + 1..end].join("\n"),
            });
            i = end + 1;
        }
    }
    out
}

/// Runs an example and returns what it printed on stdout.
fn run(root: &Path, package: &str, example: &str) -> String {
    // Inside `cargo test` the examples are already built; elsewhere (or
    // when they are not), cargo builds them into a target dir of its own
    // so it never waits for the outer build's lock.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let built = target
        .join("debug/examples")
        .join(format!("{example}{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = if built.is_file() {
        Command::new(built)
    } else {
        let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        c.args([
            "run",
            "-q",
            "-p",
            package,
            "--example",
            example,
            "--target-dir",
        ])
        .arg(target.join("book-answers"));
        c
    };
    let mut child = cmd
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{package} --example {example} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{package} --example {example} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn every_self_check_answer_is_what_its_program_prints() {
    let root = root();
    let all = answers(&root);
    let mut wrong = Vec::new();
    for a in &all {
        let got = run(&root, &a.package, &a.example);
        let clean = |s: &str| {
            s.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_string()
        };
        if clean(&got) != clean(&a.expected) {
            wrong.push(format!(
                "{}: {} --example {}\n  the book says:\n{}\n  the program prints:\n{}",
                a.chapter,
                a.package,
                a.example,
                a.expected,
                got.trim_end()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "answers that drifted:\n\n{}",
        wrong.join("\n\n")
    );
}

#[test]
fn every_lesson_chapter_has_three_self_check_questions() {
    let root = root();
    let all = answers(&root);
    let manifest = std::fs::read_to_string(root.join("workshop.toml")).unwrap();
    let mut short = Vec::new();
    for block in manifest.split("[[lesson]]").skip(1) {
        let get = |key: &str| {
            block
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("{key} = ")))
                .map(|v| v.trim_matches('"').to_string())
                .unwrap()
        };
        let chapter = format!(
            "{:02}-{}.md",
            get("number").parse::<u32>().unwrap(),
            get("slug")
        );
        let n = all.iter().filter(|a| a.chapter == chapter).count();
        if n < 3 {
            short.push(format!("{chapter} ({n})"));
        }
    }
    assert!(
        short.is_empty(),
        "chapters with fewer than 3 self-check answers tied to a program: {}",
        short.join(", ")
    );
}
