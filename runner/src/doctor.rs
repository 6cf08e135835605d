//! `cargo workshop doctor`: is this machine ready for the workshop?

use std::io::IsTerminal;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;
use notify::{RecursiveMode, Watcher};

use crate::Ctx;
use crate::util;

struct Finding {
    ok: bool,
    what: String,
    fix: Option<String>,
}

fn run(cmd: &str, args: &[&str], ctx: &Ctx) -> Option<(bool, String)> {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(&ctx.root)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), text.trim().to_string()))
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

    // Dependencies downloaded for offline use.
    match run(&cargo, &["fetch", "--offline", "--quiet"], ctx) {
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

    // mdbook.
    match run("mdbook", &["--version"], ctx) {
        Some((true, v)) => f.push(Finding { ok: true, what: format!("book: {v}"), fix: None }),
        _ => f.push(Finding {
            ok: false,
            what: "book: mdbook is not installed (needed to read the book offline: `mdbook serve book`)".into(),
            fix: Some("`cargo install mdbook --locked` (online), or read the chapters in book/src/ directly".into()),
        }),
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
