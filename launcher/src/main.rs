//! `cargo workshop` starts here, and hands over to the runner at once.
//!
//! The runner (progress, checks, hints, the class board) needs many crates:
//! an HTTP stack, a terminal library, a file watcher, syn. It lives in a cargo
//! workspace of its own, `runner/`, so that those crates stay out of the
//! lessons' workspace: every `cargo test` a learner runs in an exercise
//! resolves the workspace's whole dependency graph before it compiles
//! anything, and without the runner's crates that graph is less than half as
//! big (`scripts/bench-loop.sh` measures the loop). This launcher is the one
//! member of the lessons' workspace that knows about the runner; it has no
//! dependencies so that it costs the learner's loop nothing.
//!
//! It runs `cargo run --manifest-path <root>/runner/Cargo.toml -- ARGS`, with
//! the same target folder as the lessons, so that the crates both sides use
//! are compiled once. (cargo-util's `exec_replace` does the same hand-over,
//! but it would bring about twenty crates into the lessons' graph.)

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The folder that holds workshop.toml: the current folder or one above it,
/// else the one this launcher was built from.
fn root() -> PathBuf {
    let start = std::env::current_dir().unwrap_or_default();
    start
        .ancestors()
        .find(|d| d.join("workshop.toml").is_file() && d.join("runner/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("the launcher sits in a folder of the workshop")
                .to_path_buf()
        })
}

fn main() -> ExitCode {
    let root = root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let runner = target
        .join("debug")
        .join(format!("workshop{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));

    let mut cmd = Command::new(cargo);
    cmd.arg("run");
    // The first time, cargo's progress shows that the runner is being
    // compiled (about a minute); after that, only the runner speaks.
    if runner.is_file() {
        cmd.arg("--quiet");
    }
    cmd.arg("--manifest-path")
        .arg(root.join("runner").join("Cargo.toml"))
        .arg("--bin")
        .arg("workshop")
        .env("CARGO_TARGET_DIR", &target)
        .arg("--")
        .args(std::env::args_os().skip(1));
    hand_over(cmd)
}

/// Unix: becomes the cargo process (exec), so signals and the terminal go
/// straight to the runner.
#[cfg(unix)]
fn hand_over(mut cmd: Command) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let err = cmd.exec();
    eprintln!("cargo workshop: could not start cargo: {err}");
    ExitCode::FAILURE
}

/// Elsewhere: runs cargo and waits. Ctrl-C reaches every process on the
/// console; the launcher ignores it, so that the runner can finish (say, a
/// class board printing its summary) before the prompt comes back.
#[cfg(not(unix))]
fn hand_over(mut cmd: Command) -> ExitCode {
    #[cfg(windows)]
    {
        // A handler that says "handled" (as cargo run does). Not the null
        // handler: that one is inherited, and the runner must still see
        // Ctrl-C.
        unsafe extern "system" fn ignore(_ctrl_type: u32) -> windows_sys::core::BOOL {
            1
        }
        // SAFETY: registers a function that touches nothing.
        unsafe {
            windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(ignore), 1);
        }
    }
    match cmd.status() {
        Ok(status) => match status.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!("cargo workshop: could not start cargo: {err}");
            ExitCode::FAILURE
        }
    }
}
