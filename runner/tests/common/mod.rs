//! Helpers shared by the runner's integration tests.

use std::path::Path;

/// Copies a fixture workshop (without build output or a learner's state).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "target" || name == "Cargo.lock" || name == ".workshop" {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// What a learner who solved a lesson has: the reference solution without
/// its markers (anchors, `//~` stub lines, solution-only markers).
pub fn solved(solution: &str) -> String {
    solution
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("// ANCHOR") || t.starts_with("//~") || t.starts_with("// solution:"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}
