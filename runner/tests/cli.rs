//! Drives the `workshop` binary as a process on temporary copies of the
//! fixture workshop in tests/fixture (two tiny lessons, no dependencies).
//! stdin is closed and stdout is a pipe: this is also the no-TTY test.
//!
//! Each copy builds into its own target dir (inside the copy): cargo's
//! artifact names for path packages do not depend on where the workspace
//! is, so copies sharing one target dir would see each other's builds.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

mod common;
use common::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_workshop");

struct Fx {
    dir: tempfile::TempDir,
}

impl Fx {
    fn new() -> Fx {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture"),
            dir.path(),
        );
        Fx { dir }
    }
    fn root(&self) -> &Path {
        self.dir.path()
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }
    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(self.root())
            .env("CARGO_TARGET_DIR", self.path("target"))
            .env("USER", "tester")
            .env_remove("NO_COLOR")
            .env_remove("WORKSHOP_NAME")
            .stdin(Stdio::null());
        c
    }
    fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().unwrap();
        Run::from(out)
    }
    /// Solves an exercise lesson by copying the reference solution.
    /// What a learner who solved it has: the solution without its markers.
    fn solve(&self, dir: &str) {
        let sol = common::solved(&self.read(&format!("solutions/{dir}/src/lib.rs")));
        self.write(&format!("exercises/{dir}/src/lib.rs"), &sol);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        let r = Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        assert!(
            !r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'),
            "no colour codes without a terminal:\n{}{}",
            r.stdout,
            r.stderr
        );
        r
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn state(fx: &Fx) -> serde_json::Value {
    serde_json::from_str(&fx.read(".workshop/state.json")).unwrap()
}

#[test]
fn table_shows_every_exercise_a_progress_bar_and_the_next_step() {
    let fx = Fx::new();
    let r = fx.run(&[]);
    assert_eq!(r.code, 0, "{r}");
    for want in [
        "Fixture workshop",
        "01  hello · Saying hello",
        "greet",
        "evens",
        "not started",
        "0/4 exercises solved",
        "Next: lesson 01 (hello), exercise `greet`",
        "open  exercises/01-hello/src/lib.rs",
        "read  book/src/01-hello.md",
        "cargo workshop check 1",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?} in\n{r}");
    }

    fx.solve("01-hello");
    let r = fx.run(&[]);
    // No state yet and an edited file: it is checked to build the state.
    assert!(r.stdout.contains("2/4 exercises solved"), "{r}");
    assert!(
        r.stdout
            .contains("Next: lesson 02 (counting), exercise `double`"),
        "{r}"
    );
}

#[test]
fn check_shows_verdicts_with_the_teaching_message_and_json_per_exercise() {
    let fx = Fx::new();
    let sol = fx
        .read("solutions/01-hello/src/lib.rs")
        .replace("a + b", "a * b");
    fx.write("exercises/01-hello/src/lib.rs", &sol);

    let r = fx.run(&["check"]);
    assert_eq!(r.code, 1, "not everything is solved: {r}");
    assert!(r.stdout.contains("Lesson 01 · Saying hello"), "{r}");
    assert!(r.stdout.contains("✓ greet"), "{r}");
    assert!(r.stdout.contains("✗ add"), "{r}");
    assert!(
        r.stdout.contains("add(2, 3) must be 5: use the + operator"),
        "{r}"
    );
    assert!(r.stdout.contains("cargo workshop hint 1 add"), "{r}");

    let r = fx.run(&["check", "hello", "--json"]);
    assert_eq!(r.code, 1, "{r}");
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2, "one line per exercise: {r}");
    assert_eq!(lines[0]["exercise"], "greet");
    assert_eq!(lines[0]["status"], "solved");
    assert_eq!(lines[0]["passed"], 2);
    assert_eq!(lines[1]["exercise"], "add");
    assert_eq!(lines[1]["status"], "failing");
    assert!(
        lines[1]["message"]
            .as_str()
            .unwrap()
            .contains("use the + operator")
    );

    let r = fx.run(&["check", "02", "--json"]);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().all(|l| l["status"] == "not_started"), "{r}");

    fx.solve("01-hello");
    let r = fx.run(&["check", "01-hello"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("All 2 exercises of lesson 01 are solved."),
        "{r}"
    );
    assert_eq!(
        state(&fx)["lessons"]["hello"]["exercises"]["add"]["status"],
        "solved"
    );
}

#[test]
fn compile_errors_are_shown_as_cargo_prints_them() {
    let fx = Fx::new();
    let broken = fx.read("exercises/02-counting/src/lib.rs") + "\nfn broken( {\n";
    fx.write("exercises/02-counting/src/lib.rs", &broken);
    fx.solve("01-hello");
    let r = fx.run(&["check", "--all"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.contains("does not compile"), "{r}");
    assert!(r.stdout.contains("unclosed delimiter"), "{r}");
    assert!(r.stdout.contains("exercises/02-counting/src/lib.rs"), "{r}");
    assert!(
        r.stdout
            .contains("All 2 exercises of lesson 01 are solved."),
        "the other lesson is still checked: {r}"
    );
    let r = fx.run(&["check", "2", "--json"]);
    let first: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["status"], "compile_error");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("unclosed delimiter")
    );
}

#[test]
fn hints_are_revealed_one_at_a_time() {
    let fx = Fx::new();
    let r = fx.run(&["hint", "1"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("Hint 1 of 2 for `greet`"), "{r}");
    assert!(r.stdout.contains("format! builds a String."), "{r}");
    let r = fx.run(&["hint", "1", "greet"]);
    assert!(r.stdout.contains("Hint 2 of 2 for `greet`"), "{r}");
    let r = fx.run(&["hint", "1", "greet"]);
    assert!(r.stdout.contains("You have seen all 2 hints"), "{r}");
    let r = fx.run(&["hint", "1", "greet", "--all"]);
    assert!(
        r.stdout.contains("Hint 1 of 2") && r.stdout.contains("Hint 2 of 2"),
        "{r}"
    );
    assert_eq!(
        state(&fx)["lessons"]["hello"]["exercises"]["greet"]["hints_revealed"],
        2
    );
    let r = fx.run(&["hint", "1", "nope"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("lesson 01 has no exercise `nope`; its exercises are: `greet`, `add`."),
        "{r}"
    );
}

#[test]
fn reset_backs_up_the_learners_file_and_restores_the_stub() {
    let fx = Fx::new();
    let file = "exercises/01-hello/src/lib.rs";
    let shipped = fx.read(file);
    let mine = fx
        .read("solutions/01-hello/src/lib.rs")
        .replace("a + b", "a + b + 0 // mine");
    fx.write(file, &mine);

    // One exercise: only `add` goes back, `greet` stays solved.
    let r = fx.run(&["reset", "1", "add"]);
    assert_eq!(r.code, 0, "{r}");
    let backup_line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Your file was saved to "))
        .unwrap();
    let backup = backup_line
        .trim_start_matches("Your file was saved to ")
        .trim();
    assert!(backup.starts_with(".workshop/backups/01-hello/lib-"), "{r}");
    assert_eq!(fx.read(backup), mine, "the backup is the learner's file");
    let now = fx.read(file);
    assert!(
        now.contains("format!(\"Hello, {name}!\")"),
        "greet is kept:\n{now}"
    );
    assert!(
        now.contains("// TODO: return the sum of a and b."),
        "add is restored:\n{now}"
    );
    assert!(!now.contains("// mine"));

    // The whole lesson.
    let r = fx.run(&["reset", "hello"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(fx.read(file), shipped);
    let r2 = fx.run(&["reset", "hello"]);
    assert!(r2.stdout.contains("already as shipped"), "{r2}");

    // Restore the learner's version from the first backup, as the message says.
    let undo = r
        .stdout
        .lines()
        .find(|l| l.contains("to undo the reset: cp "))
        .unwrap();
    assert!(
        undo.contains(&format!("cp {backup} {file}"))
            || undo.contains("cp .workshop/backups/01-hello/"),
        "{r}"
    );
    std::fs::copy(fx.path(backup), fx.path(file)).unwrap();
    assert_eq!(fx.read(file), mine);
    let r = fx.run(&["check", "1"]);
    assert_eq!(r.code, 0, "the restored work is solved again: {r}");
}

#[test]
fn reset_of_one_exercise_in_a_file_that_does_not_parse_resets_the_whole_file() {
    let fx = Fx::new();
    let file = "exercises/01-hello/src/lib.rs";
    let shipped = fx.read(file);
    let broken = shipped.replace(
        "todo!()\n}\n\n/// Exercise `add`",
        "todo!(\n}\n\n/// Exercise `add`",
    );
    assert_ne!(broken, shipped);
    fx.write(file, &broken);
    let r = fx.run(&["reset", "1", "greet"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("could not restore only `greet`"), "{r}");
    assert!(r.stdout.contains("Resetting the whole file instead"), "{r}");
    assert!(r.stdout.contains("Your file was saved to "), "{r}");
    assert_eq!(fx.read(file), shipped);
}

#[test]
fn solution_of_one_exercise_shows_only_its_items_without_markers() {
    let fx = Fx::new();
    fx.solve("01-hello");
    let r = fx.run(&["solution", "1", "add", "--force"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout.contains("identical") || r.stdout.contains("pub fn add"),
        "{r}"
    );
    let mine = fx
        .read("exercises/01-hello/src/lib.rs")
        .replace("a + b", "b + a");
    fx.write("exercises/01-hello/src/lib.rs", &mine);
    let r = fx.run(&["solution", "1", "add", "--force"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout.contains("-    b + a") && r.stdout.contains("+    a + b"),
        "{r}"
    );
    assert!(!r.stdout.contains("greet"), "only `add`: {r}");
    assert!(
        !r.stdout.contains("ANCHOR") && !r.stdout.contains("//~"),
        "{r}"
    );
}

#[test]
fn solution_asks_for_force_until_the_checks_pass() {
    let fx = Fx::new();
    let r = fx.run(&["solution", "1"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.contains("do not all pass yet"), "{r}");
    assert!(
        r.stdout.contains("cargo workshop solution 1 --force"),
        "{r}"
    );
    assert!(
        !r.stdout.contains("a + b"),
        "the solution stays hidden: {r}"
    );

    let r = fx.run(&["solution", "1", "--force"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("--- your file: exercises/01-hello/src/lib.rs"),
        "{r}"
    );
    assert!(r.stdout.contains("+    a + b"), "{r}");
    assert!(r.stdout.contains("-    todo!()"), "{r}");

    fx.solve("01-hello");
    let r = fx.run(&["solution", "1"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("identical to the reference"), "{r}");
}

#[test]
fn verify_passes_skips_edited_files_and_catches_tampered_checks() {
    let fx = Fx::new();
    let r = fx.run(&["verify"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("every exercise as shipped fails all of its checks"),
        "{r}"
    );
    assert!(r.stdout.contains("every reference solution passes"), "{r}");

    fx.solve("01-hello");
    let r = fx.run(&["verify", "--no-solutions", "--allow-edited"]);
    assert_eq!(r.code, 0, "a learner's progress is not a failure: {r}");
    assert!(
        r.stdout
            .contains("exercises/01-hello/src/lib.rs edited (skipped)"),
        "{r}"
    );
    let r = fx.run(&["verify", "--no-solutions"]);
    assert_eq!(r.code, 1, "a maintainer's stale exercises/ is: {r}");
    assert!(r.stdout.contains("run `cargo workshop generate`"), "{r}");
    assert_eq!(fx.run(&["generate"]).code, 0);
    assert_eq!(fx.run(&["generate", "--check"]).code, 0);
    let r = fx.run(&["verify", "--no-solutions"]);
    assert_eq!(r.code, 0, "{r}");

    let checks = fx.read("tests/02-counting.rs") + "\n// a small change\n";
    fx.write("tests/02-counting.rs", &checks);
    let r = fx.run(&["verify", "--no-solutions"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stdout.contains("tests/02-counting.rs was modified"),
        "{r}"
    );

    // A folder the manifest does not know, and a stub that passes a check.
    fx.write("tests/03-extra.rs", "");
    let r = fx.run(&["verify", "--no-solutions"]);
    assert!(
        r.stdout
            .contains("tests/03-extra.rs is not a lesson in workshop.toml"),
        "{r}"
    );
}

#[test]
fn verify_rehash_records_hashes_and_keeps_the_manifest_readable() {
    let fx = Fx::new();
    let manifest: String = fx
        .read("workshop.toml")
        .lines()
        .filter(|l| !l.contains("_sha256"))
        .map(|l| format!("{l}\n"))
        .collect();
    fx.write("workshop.toml", &manifest);
    let r = fx.run(&["verify", "--no-solutions"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.contains("records no checks_sha256"), "{r}");

    let r = fx.run(&["verify", "--rehash", "--no-solutions"]);
    assert_eq!(r.code, 0, "{r}");
    let after = fx.read("workshop.toml");
    assert!(
        after.starts_with("# The fixture workshop's manifest"),
        "comments kept:\n{after}"
    );
    assert_eq!(after.matches("checks_sha256 = \"").count(), 2, "{after}");
    assert_eq!(after, fx.read("workshop.toml"));
    let orig = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture/workshop.toml"),
    )
    .unwrap();
    assert_eq!(
        after, orig,
        "rehash reproduces the fixture's manifest exactly"
    );
}

#[test]
fn report_writes_json_and_merge_prints_a_class_table_and_csv() {
    let fx = Fx::new();
    fx.solve("01-hello");
    let r = fx.run(&["report", "--name", "ada"]);
    assert_eq!(r.code, 0, "{r}");
    let ada: serde_json::Value =
        serde_json::from_str(&fx.read(".workshop/report-ada.json")).unwrap();
    assert_eq!(ada["learner"], "ada");
    assert_eq!(ada["solved"], 2);
    assert_eq!(ada["lessons"][0]["exercises"][0]["status"], "solved");

    let bob = Fx::new();
    let r = bob.run(&["report", "-o", "bob.json"]);
    assert_eq!(r.code, 0, "{r}");
    let bob_file = bob.path("bob.json");
    assert!(bob.read("bob.json").contains("\"learner\": \"tester\""));

    let csv = fx.path("class.csv");
    let r = fx.run(&[
        "report",
        "--merge",
        fx.path(".workshop/report-ada.json").to_str().unwrap(),
        bob_file.to_str().unwrap(),
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("ada      ✓✓  ··  2/4"), "{r}");
    assert!(r.stdout.contains("tester   ··  ··  0/4"), "{r}");
    assert!(r.stdout.contains("greet 1/2"), "{r}");
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("learner,solved,total,report_generated_at,01-hello/greet,01-hello/add,02-counting/double,02-counting/evens\n"), "{csv}");
    assert!(
        csv.contains(",solved,solved,not_started,not_started\n") && csv.contains("ada,2,4,"),
        "{csv}"
    );

    // One learner, two reports: one row, the latest wins.
    let mut old: serde_json::Value =
        serde_json::from_str(&fx.read(".workshop/report-ada.json")).unwrap();
    old["generated_at"] = "2000-01-01T00:00:00Z".into();
    old["solved"] = 0.into();
    for l in old["lessons"].as_array_mut().unwrap() {
        for e in l["exercises"].as_array_mut().unwrap() {
            e["status"] = "failing".into();
        }
    }
    fx.write("old-ada.json", &old.to_string());
    let r = fx.run(&[
        "report",
        "--merge",
        fx.path("old-ada.json").to_str().unwrap(),
        fx.path(".workshop/report-ada.json").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        r.stdout.matches("\nada ").count(),
        1,
        "one row for ada: {r}"
    );
    assert!(
        r.stdout.contains("ada      ✓✓  ··  2/4"),
        "the latest wins: {r}"
    );
    assert!(r.stdout.contains("1 older report(s)"), "{r}");
    assert!(
        r.stdout.contains(".workshop/workshop-class.csv"),
        "by default the CSV goes to an ignored path: {r}"
    );
    assert!(fx.path(".workshop/workshop-class.csv").is_file());
    assert!(!fx.path("workshop-class.csv").exists());

    // `| head` closes the pipe early: the CSV is written all the same.
    #[cfg(unix)]
    {
        let out = fx.path("piped.csv");
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "'{BIN}' report --merge '{}' --out '{}' | head -c1 >/dev/null",
                fx.path(".workshop/report-ada.json").display(),
                out.display()
            ))
            .current_dir(fx.root())
            .status()
            .unwrap();
        assert!(status.success());
        assert!(std::fs::read_to_string(out).unwrap().contains("ada,2,4,"));
    }

    let r = fx.run(&["report", "--merge", "workshop.toml"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("none of the given files is a workshop report"),
        "{r}"
    );
}

#[test]
fn doctor_checks_each_area_and_gives_fixes() {
    let fx = Fx::new();
    let r = fx.run(&["doctor"]);
    assert!(r.code == 0 || r.code == 1, "{r}");
    for want in [
        "toolchain:",
        "dependencies:",
        "book:",
        "terminal: not a terminal",
        "file watching:",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?}: {r}");
    }
    if r.code == 1 {
        assert!(r.stdout.contains("fix: "), "{r}");
    }
    let r = fx
        .command(&["doctor"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&r.stdout).contains("off (NO_COLOR is set)"));
}

#[test]
fn a_corrupt_state_file_is_rebuilt_from_a_fresh_check() {
    let fx = Fx::new();
    fx.solve("01-hello");
    fx.write(".workshop/state.json", "{ this is not json");
    let r = fx.run(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("was damaged"), "{r}");
    assert!(
        r.stderr
            .contains("rebuilding your progress from a fresh check"),
        "{r}"
    );
    assert!(r.stdout.contains("2/4 exercises solved"), "{r}");
    assert_eq!(
        state(&fx)["lessons"]["hello"]["exercises"]["greet"]["status"],
        "solved"
    );
    let kept = std::fs::read_dir(fx.path(".workshop")).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("state.json.corrupt-")
    });
    assert!(kept, "the damaged file is kept aside, not deleted");

    // Wrong shape (valid JSON) and an empty file are rebuilt too.
    fx.write(".workshop/state.json", "[1, 2, 3]");
    assert_eq!(fx.run(&["hint", "1"]).code, 0);
    fx.write(".workshop/state.json", "");
    let r = fx.run(&["check", "1"]);
    assert_eq!(r.code, 0, "{r}");
}

#[test]
fn progress_survives_renumbering_because_state_is_keyed_by_slug() {
    let fx = Fx::new();
    fx.solve("02-counting");
    assert_eq!(fx.run(&["check", "2"]).code, 0);
    assert!(
        fx.run(&["hint", "counting", "evens"])
            .stdout
            .contains("Hint 1 of 2")
    );

    // Lesson 2 becomes lesson 5.
    for (from, to) in [
        ("exercises/02-counting", "exercises/05-counting"),
        ("solutions/02-counting", "solutions/05-counting"),
        ("tests/02-counting.rs", "tests/05-counting.rs"),
        ("book/src/02-counting.md", "book/src/05-counting.md"),
    ] {
        std::fs::rename(fx.path(from), fx.path(to)).unwrap();
    }
    for toml in [
        "exercises/05-counting/Cargo.toml",
        "solutions/05-counting/Cargo.toml",
    ] {
        let t = fx.read(toml).replace("02-counting", "05-counting");
        fx.write(toml, &t);
    }
    let m = fx
        .read("workshop.toml")
        .replace("number = 2\n", "number = 5\n");
    fx.write("workshop.toml", &m);

    let r = fx.run(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("05  counting · Counting"), "{r}");
    assert!(r.stdout.contains("2/4 exercises solved"), "{r}");
    assert!(!r.stdout.contains('*'), "nothing is stale: {r}");
    let r = fx.run(&["hint", "5", "evens"]);
    assert!(r.stdout.contains("Hint 2 of 2"), "{r}");
    let r = fx.run(&["verify", "--no-solutions", "--allow-edited"]);
    assert_eq!(r.code, 0, "{r}");
}

#[test]
fn errors_are_one_sentence_with_the_fix() {
    let fx = Fx::new();
    let r = fx.run(&["check", "9"]);
    assert_eq!(r.code, 2, "{r}");
    assert_eq!(
        r.stderr.trim(),
        "error: there is no lesson `9` in workshop.toml; use a number or a slug: 1 (hello), 2 (counting)."
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .current_dir(elsewhere.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let r = Run::from(out);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("could not find workshop.toml"), "{r}");
    assert!(r.stderr.contains("cd into the workshop repository"), "{r}");

    std::fs::remove_file(fx.path("solutions/01-hello/src/lib.rs")).unwrap();
    let r = fx.run(&["reset", "1"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("could not generate the exercise from solutions/01-hello/src/lib.rs"),
        "{r}"
    );
}

#[test]
fn help_is_written_for_newcomers() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "check", "watch", "hint", "reset", "solution", "verify", "report", "doctor",
    ] {
        assert!(help.contains(cmd), "{help}");
    }
    assert!(help.contains("Start here"), "{help}");
}

#[cfg(unix)]
#[test]
fn watch_rechecks_on_save_survives_compile_errors_and_stops_on_ctrl_c() {
    let fx = Fx::new();
    let mut child = fx
        .command(&["watch", "2", "--poll"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let mut wait_for = |want: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while !seen.contains(want) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) => {
                    seen.push_str(&l);
                    seen.push('\n');
                }
                Err(_) => panic!("watch never printed {want:?}; it printed:\n{seen}"),
            }
        }
        let rest = seen.split_off(seen.find(want).unwrap() + want.len());
        seen = rest;
    };
    wait_for("· double");
    wait_for("waiting for you to save");

    let file = "exercises/02-counting/src/lib.rs";
    let stub = fx.read(file);
    std::thread::sleep(Duration::from_millis(1100)); // a new mtime
    fx.write(file, &(stub.clone() + "\nfn broken( {\n"));
    wait_for("does not compile");
    wait_for("waiting for you to save");

    std::thread::sleep(Duration::from_millis(1100));
    fx.solve("02-counting");
    wait_for("✓ double");
    wait_for("waiting for you to save");

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    wait_for("Stopped watching");
    let exit = child.wait().unwrap();
    assert!(exit.success(), "Ctrl-C exits cleanly: {exit:?}");
}

#[test]
fn eight_runner_commands_at_once_lose_no_update() {
    let fx = Fx::new();
    fx.solve("01-hello");
    fx.solve("02-counting");
    assert_eq!(fx.run(&["check", "1"]).code, 0);
    assert_eq!(fx.run(&["check", "2"]).code, 0);
    let baseline = fx.read(".workshop/state.json");
    let solved_counting = fx.read("exercises/02-counting/src/lib.rs");
    let commands: [&[&str]; 8] = [
        &["hint", "1", "greet"],
        &["hint", "1", "greet"],
        &["hint", "2", "evens"],
        &["hint", "2", "evens"],
        &["hint", "2", "double"],
        &["hint", "1", "add"],
        &["check", "1"],
        &["reset", "2", "double"],
    ];
    for rep in 0..20 {
        fx.write("exercises/02-counting/src/lib.rs", &solved_counting);
        fx.write(".workshop/state.json", &baseline);
        let children: Vec<_> = commands
            .iter()
            .map(|args| {
                (
                    args,
                    fx.command(args).stdout(Stdio::piped()).spawn().unwrap(),
                )
            })
            .collect();
        for (args, c) in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.code().unwrap() <= 1,
                "rep {rep}: {args:?} failed: {out:?}"
            );
        }
        let state: serde_json::Value =
            serde_json::from_str(&fx.read(".workshop/state.json")).unwrap();
        let ex = |slug: &str, name: &str| state["lessons"][slug]["exercises"][name].clone();
        for (slug, name, hints) in [
            ("hello", "greet", 2),
            ("counting", "evens", 2),
            ("counting", "double", 1),
            ("hello", "add", 1),
        ] {
            assert_eq!(
                ex(slug, name)["hints_revealed"],
                hints,
                "rep {rep}: hints of {name} lost: {state:#}"
            );
        }
        assert_eq!(
            ex("hello", "greet")["status"],
            "solved",
            "rep {rep}: {state:#}"
        );
        assert_eq!(
            ex("counting", "evens")["status"],
            "solved",
            "rep {rep}: {state:#}"
        );
        assert_eq!(
            ex("counting", "double")["status"],
            "not_started",
            "rep {rep}: the reset was lost: {state:#}"
        );
        let leftovers: Vec<_> = std::fs::read_dir(fx.path(".workshop"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    }
}

#[test]
fn two_corrupt_state_files_in_the_same_second_get_two_backups() {
    let fx = Fx::new();
    for _ in 0..2 {
        fx.write(".workshop/state.json", "{ not json");
        let r = fx.run(&["hint", "1", "greet"]);
        assert_eq!(r.code, 0, "{r}");
    }
    let backups = std::fs::read_dir(fx.path(".workshop"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("state.json.corrupt-")
        })
        .count();
    assert_eq!(backups, 2, "each damaged file is kept");
}

/// A fake tool: a shell script named `name` in `dir` that runs `body`.
#[cfg(unix)]
fn fake_tool(dir: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn doctor_finds_mdbook_on_the_learners_path_and_never_hangs() {
    let fx = Fx::new();
    let cargo_dir = Path::new(&std::env::var("CARGO").unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    let tools = fx.path("tools");
    let home = fx.path("cargo-home");
    let system = "/usr/local/bin:/usr/bin:/bin";
    let doctor = |path: String| {
        let out = fx
            .command(&["doctor"])
            .env("PATH", path)
            .env("CARGO_HOME", &home)
            .env("CARGO", cargo_dir.join("cargo"))
            .env("WORKSHOP_DOCTOR_TIMEOUT_SECS", "1")
            .output()
            .unwrap();
        Run::from(out)
    };

    // On the learner's PATH: found, with where.
    fake_tool(&tools, "mdbook", "echo mdbook v0.0-test");
    let r = doctor(format!(
        "{}:{}:{system}",
        tools.display(),
        cargo_dir.display()
    ));
    assert!(r.stdout.contains("✓ book: mdbook v0.0-test"), "{r}");
    assert!(
        r.stdout.contains(&tools.display().to_string()),
        "says which one: {r}"
    );

    // Only in $CARGO_HOME/bin, which cargo's proxy put in front of PATH but the
    // learner's own PATH lacks.
    std::fs::remove_file(tools.join("mdbook")).unwrap();
    fake_tool(&home.join("bin"), "mdbook", "echo mdbook v0.0-hidden");
    let r = doctor(format!(
        "{}/bin:{}:{system}",
        home.display(),
        cargo_dir.display()
    ));
    assert!(r.stdout.contains("its folder is not on your PATH"), "{r}");

    // A tool that hangs is stopped after the time limit.
    fake_tool(&tools, "mdbook", "sleep 60");
    let start = std::time::Instant::now();
    let r = doctor(format!(
        "{}:{}:{system}",
        tools.display(),
        cargo_dir.display()
    ));
    assert!(r.stdout.contains("did not answer within 1 s"), "{r}");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "doctor waited {:?}",
        start.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn a_check_that_waits_for_cargos_build_lock_says_so() {
    let fx = Fx::new();
    let real = std::env::var("CARGO").unwrap();
    let tools = fx.path("tools");
    fake_tool(
        &tools,
        "cargo",
        &format!(
            "echo '    Blocking waiting for file lock on build directory' >&2\nsleep 1\nexec '{real}' \"$@\""
        ),
    );
    let out = fx
        .command(&["check", "1"])
        .env("CARGO", tools.join("cargo"))
        .output()
        .unwrap();
    let r = Run::from(out);
    assert!(
        r.stderr
            .contains("waiting for another cargo command in this folder to finish"),
        "{r}"
    );
}

/// Drives `watch` in a pseudo-terminal, as a learner at a keyboard would.
#[cfg(unix)]
#[test]
fn interactive_watch_moves_hints_resets_lists_and_quits_by_key() {
    let fx = Fx::new();
    fx.solve("02-counting");
    assert_eq!(fx.run(&["check", "2"]).code, 0, "warm build");
    // Not fx.command(): that one sets stdin to null, and here the
    // pseudo-terminal must be stdin and stdout.
    let mut cmd = Command::new(BIN);
    cmd.args(["watch", "2"])
        .current_dir(fx.root())
        .env("CARGO_TARGET_DIR", fx.path("target"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    let expect = |p: &mut rexpect::session::PtySession, what: &str| {
        if let Err(e) = p.exp_string(what) {
            panic!("watch never showed {what:?}: {e}");
        }
    };
    let key = |p: &mut rexpect::session::PtySession, k: &str| {
        p.send(k).unwrap();
        p.flush().unwrap();
    };
    expect(&mut p, "Now: `double` (1 of 2)");
    expect(&mut p, "s solution");

    key(&mut p, "n");
    expect(&mut p, "Now: `evens` (2 of 2)");

    key(&mut p, "h");
    expect(&mut p, "Hint 1 of 2 for `evens`");

    key(&mut p, "r");
    expect(&mut p, "Reset `evens` to the stub?");
    key(&mut p, "y");
    expect(
        &mut p,
        "Your file was saved to .workshop/backups/02-counting/",
    );
    expect(&mut p, "Now: `evens`");

    key(&mut p, "l");
    expect(&mut p, "Press a number to jump");
    key(&mut p, "1");
    expect(&mut p, "Now: `double` (1 of 2)");

    key(&mut p, "q");
    expect(&mut p, "Stopped watching");
    p.exp_eof().unwrap();

    let backups = std::fs::read_dir(fx.path(".workshop/backups/02-counting"))
        .unwrap()
        .count();
    assert_eq!(backups, 1, "the reset made one backup");
    assert!(
        fx.read("exercises/02-counting/src/lib.rs")
            .contains("// TODO: collect 0, 2, 4, ... below n."),
        "evens is back to its stub"
    );
    let state: serde_json::Value = serde_json::from_str(&fx.read(".workshop/state.json")).unwrap();
    assert_eq!(
        state["lessons"]["counting"]["exercises"]["evens"]["hints_revealed"],
        1
    );
}
