//! `cargo test` at the root verifies the workshop itself, with the same logic
//! as `cargo workshop verify`: workshop.toml matches the folders (both ways),
//! the checks files are the ones recorded in workshop.toml, exercises/ is
//! what the solutions generate, and every exercise as shipped fails every
//! one of its checks. Exercise files a learner has edited are skipped, so
//! running `cargo test` mid-workshop does not punish progress. (The reference
//! solutions are already tested by the root `cargo test` itself; the
//! alternative and wrong solutions by `cargo workshop verify`, which CI runs.)
//!
//! The nested cargo runs use `<target>/verify` as their target dir, so they
//! never wait for the outer cargo's build lock.

use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn the_workshop_is_consistent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_workshop"))
        .args([
            "verify",
            "--no-solutions",
            "--no-variants",
            "--allow-edited",
        ])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("WORKSHOP_NESTED_VERIFY", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo workshop verify found problems:\n{stdout}{stderr}"
    );
}
