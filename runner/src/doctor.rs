//! `cargo workshop doctor`: is this machine ready for the workshop?

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use notify::{RecursiveMode, Watcher};

use crate::Ctx;
use crate::util;

struct Finding {
    ok: bool,
    what: String,
    fix: Option<String>,
}

/// How long doctor waits for a quick tool (`rustc --version`) and for
/// `cargo fetch --offline`, which reads the whole registry cache.
const QUICK: Duration = Duration::from_secs(10);
const SLOW: Duration = Duration::from_secs(90);

/// Runs a tool with a time limit. `None` when it could not be started;
/// `Some((false, "... did not answer within N s"))` when it hung (it is
/// killed).
fn run_for(cmd: &Path, args: &[&str], ctx: &Ctx, limit: Duration) -> Option<(bool, String)> {
    let mut child = Command::new(cmd)
        .args(args)
        .current_dir(&ctx.root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let (mut so, mut se) = (child.stdout.take()?, child.stderr.take()?);
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let Some(status) = status else {
        return Some((
            false,
            format!(
                "`{} {}` did not answer within {} s (stopped)",
                cmd.display(),
                args.join(" "),
                limit.as_secs()
            ),
        ));
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out_reader.join().unwrap_or_default()),
        String::from_utf8_lossy(&err_reader.join().unwrap_or_default())
    );
    Some((status.success(), text.trim().to_string()))
}

fn run(cmd: &str, args: &[&str], ctx: &Ctx) -> Option<(bool, String)> {
    run_for(Path::new(cmd), args, ctx, quick())
}

/// QUICK, or `WORKSHOP_DOCTOR_TIMEOUT_SECS` (the runner's tests use 1).
fn quick() -> Duration {
    std::env::var("WORKSHOP_DOCTOR_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(QUICK, Duration::from_secs)
}

/// The learner's own PATH. Run through `cargo workshop`, the runner gets
/// the PATH that rustup's cargo proxy made, with `$CARGO_HOME/bin` put in
/// front; a tool found only there would not be found in the learner's
/// terminal. So that first entry is left out when it was added that way.
fn learner_path() -> (Vec<PathBuf>, Option<PathBuf>) {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|h| h.join(".cargo")))
        .map(|h| h.join("bin"));
    let mut added = None;
    if std::env::var_os("CARGO").is_some()
        && let (Some(first), Some(cb)) = (dirs.first(), &cargo_bin)
        && first == cb
    {
        added = Some(dirs.remove(0));
    }
    (dirs, added)
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// `name` (with `.exe` on Windows) in one of `dirs`.
fn find_in(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    dirs.iter().map(|d| d.join(&file)).find(|p| p.is_file())
}

/// The platform cargo builds for here, from `rustc -vV`.
fn host_triple(ctx: &Ctx) -> Option<String> {
    let (_, out) = run("rustc", &["-vV"], ctx)?;
    out.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_string())
}

fn version_triple(s: &str) -> Option<(u32, u32, u32)> {
    let v = s
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let mut it = v.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

pub fn doctor(ctx: &Ctx) -> Result<i32> {
    let s = &ctx.style;
    let mut f: Vec<Finding> = Vec::new();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());

    // Toolchain.
    let need = std::fs::read_to_string(ctx.root.join("Cargo.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("workspace")?
                .get("package")?
                .get("rust-version")?
                .as_str()
                .map(str::to_string)
        });
    match run("rustc", &["--version"], ctx) {
        Some((true, v)) => {
            let too_old = match (&need, version_triple(&v)) {
                (Some(n), Some(have)) => {
                    version_triple(&format!("x {n}")).is_some_and(|want| have < want)
                }
                _ => false,
            };
            f.push(Finding {
                ok: !too_old,
                what: match &need {
                    Some(n) => format!("toolchain: {v} (the workshop needs {n} or newer)"),
                    None => format!("toolchain: {v}"),
                },
                fix: too_old.then(|| "update Rust: `rustup update stable`".to_string()),
            });
        }
        _ => f.push(Finding {
            ok: false,
            what: "toolchain: rustc was not found".into(),
            fix: Some("install Rust from https://rustup.rs, then open a new terminal".into()),
        }),
    }
    if let Some((true, v)) = run(&cargo, &["--version"], ctx) {
        f.push(Finding {
            ok: true,
            what: format!("cargo: {v}"),
            fix: None,
        });
    }

    // Dependencies downloaded for offline use, for this platform only
    // (`cargo fetch` without --target wants every platform's crates, e.g.
    // windows-sys on Linux, which a build here never needs).
    let host = host_triple(ctx);
    let mut fetch = vec!["fetch", "--offline", "--quiet"];
    if let Some(h) = &host {
        fetch.extend(["--target", h.as_str()]);
    }
    match run_for(Path::new(&cargo), &fetch, ctx, SLOW) {
        Some((true, _)) => f.push(Finding {
            ok: true,
            what: "dependencies: all downloaded, the workshop builds offline".into(),
            fix: None,
        }),
        Some((false, out)) => f.push(Finding {
            ok: false,
            what: format!(
                "dependencies: not all downloaded ({})",
                out.lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("cargo fetch --offline failed")
            ),
            fix: Some("while you are online, run `cargo fetch` in the workshop folder".into()),
        }),
        None => {}
    }

    // mdbook, on the learner's own PATH.
    let (dirs, cargo_added) = learner_path();
    match find_in(&dirs, "mdbook") {
        Some(path) => match run_for(&path, &["--version"], ctx, quick()) {
            Some((true, v)) => f.push(Finding {
                ok: true,
                what: format!("book: {v} ({})", path.display()),
                fix: None,
            }),
            Some((false, why)) => f.push(Finding {
                ok: false,
                what: format!("book: {} does not work ({why})", path.display()),
                fix: Some("reinstall it: `cargo install mdbook --locked --force`".into()),
            }),
            None => f.push(Finding {
                ok: false,
                what: format!("book: {} could not be started", path.display()),
                fix: Some("reinstall it: `cargo install mdbook --locked --force`".into()),
            }),
        },
        None => match cargo_added.as_deref().and_then(|d| find_in(&[d.to_path_buf()], "mdbook")) {
            Some(hidden) => f.push(Finding {
                ok: false,
                what: format!(
                    "book: mdbook is installed ({}), but its folder is not on your PATH, so `mdbook` will not run in your terminal",
                    hidden.display()
                ),
                fix: Some(format!(
                    "add {} to your PATH (rustup's installer does this; open a new terminal after it)",
                    hidden.parent().map(|p| p.display().to_string()).unwrap_or_default()
                )),
            }),
            None => f.push(Finding {
                ok: false,
                what: "book: mdbook is not installed (needed to read the book offline: `mdbook serve book`)".into(),
                fix: Some("`cargo install mdbook --locked` (online), or read the chapters in book/src/ directly".into()),
            }),
        },
    }

    // Terminal and colours.
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let term = std::env::var("TERM").unwrap_or_default();
    f.push(Finding {
        ok: true,
        what: format!(
            "terminal: {}; colours {}",
            if tty {
                "interactive"
            } else {
                "not a terminal (output is plain text)"
            },
            if s.color {
                "on".to_string()
            } else if no_color {
                "off (NO_COLOR is set)".to_string()
            } else if term == "dumb" {
                "off (TERM=dumb)".to_string()
            } else {
                "off".to_string()
            }
        ),
        fix: None,
    });

    // File watching.
    f.push(file_watching(ctx));

    // State.
    let (_, loaded) = crate::state::State::load(&ctx.root);
    if let crate::state::Loaded::Rebuilt(note) = loaded {
        f.push(Finding {
            ok: true,
            what: format!("progress file: {note}"),
            fix: None,
        });
    }

    let mut problems = 0;
    for x in &f {
        let mark = if x.ok { s.green("✓") } else { s.red("✗") };
        println!("{mark} {}", x.what);
        if let Some(fix) = &x.fix {
            problems += 1;
            println!("    fix: {fix}");
        }
    }
    println!();
    if problems == 0 {
        println!("{}", s.green("All good: you are ready for the workshop."));
        Ok(0)
    } else {
        println!(
            "{}",
            s.yellow(&format!("{problems} problem(s); each has its fix above."))
        );
        Ok(1)
    }
}

fn file_watching(ctx: &Ctx) -> Finding {
    let dir = ctx.root.join(".workshop/doctor");
    let fail = |why: String| Finding {
        ok: false,
        what: format!("file watching: {why}"),
        fix: Some("use `cargo workshop watch --poll` (it looks for changes every second)".into()),
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(format!("could not create {} ({e})", dir.display()));
    }
    let (tx, rx) = mpsc::channel();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if res.is_ok() {
            let _ = tx.send(());
        }
    })
    .and_then(|mut w| w.watch(&dir, RecursiveMode::NonRecursive).map(|_| w));
    let result = match watcher {
        Err(e) => fail(format!("not available ({e})")),
        Ok(w) => {
            let _ = std::fs::write(dir.join("probe.rs"), util::now_secs().to_string());
            let got = rx.recv_timeout(Duration::from_secs(2)).is_ok();
            drop(w);
            if got {
                Finding {
                    ok: true,
                    what: "file watching: works (`cargo workshop watch` re-checks on save)".into(),
                    fix: None,
                }
            } else {
                fail("no file event arrived within 2 s of a change".into())
            }
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}
