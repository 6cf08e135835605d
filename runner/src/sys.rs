//! The runner's only platform-specific code, kept in one place.
//!
//! `cargo workshop ... | head` closes the pipe early. On unix the default
//! action of SIGPIPE ends the process quietly, but Rust programs start with
//! SIGPIPE ignored, so `println!` would panic with "failed printing to
//! stdout" instead; restoring the default fixes that. Windows has no SIGPIPE
//! (a closed pipe is an error there, as on unix with the signal ignored), so
//! the function does nothing. Everything the runner must not lose (the class
//! CSV, the state file) is written before it prints.

/// Restores SIGPIPE's default action on unix; nothing elsewhere.
pub fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: `signal` with SIG_DFL installs no handler of ours; it is called
    // once at start-up, before any thread is spawned.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
