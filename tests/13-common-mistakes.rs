//! Checks for lesson 13 — the common mistakes: a bug hunt. Compiled for both
//! exercises/13-common-mistakes and solutions/13-common-mistakes.
//!
//! Every failure names the mistake first (`mistake: <name> — ...`), then
//! says what happened and what to do. No check measures elapsed time:
//! blocking is caught by the blocking detector and by other tasks that must
//! get a turn, busy-waiting by poll counters, concurrency and parallelism by
//! gates, cancellation by drop probes and closed channels, and the "needless
//! async" check looks at the type a call returns.

use std::any::Any;
use std::future::Future;
use std::io;
use std::num::ParseIntError;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::anyhow;
use common_mistakes::{
    Config, crunch_both, fetch_with_retry, load_config, panic_text, parse_header, run_all,
    with_heartbeat,
};
use futures_lite::{FutureExt, future};
use smol::{Executor, Timer};
use testkit::probes::{Counter, DropProbe, Gate, count_polls_into};
use testkit::{Check, TODO_MARKER, detect_blocking};

/// How long a probe waits before it decides the code is wrong. Only wrong
/// code ever waits this long.
const PATIENCE: Duration = Duration::from_secs(1);
/// The watchdog: well below the default, and above PATIENCE.
const WATCHDOG: Duration = Duration::from_secs(3);

// The mistakes, by name. Every failure message starts with one of them.
const BLOCKING: &str = "blocking call inside async code";
const BUSY_WAIT: &str = "busy-waiting";
const SWALLOWED: &str = "swallowed error";
const NO_CONTEXT: &str = "error without context";
const CAUSE_LOST: &str = "root cause lost";
const PANICKED: &str = "panic instead of an error";
const LOST_PANIC: &str = "lost panic";
const SEQUENTIAL: &str = "one after another instead of at once";
const PANIC_ESCAPED: &str = "panic not turned into an error";
const DROPPED_TASK: &str = "dropped Task";
const DETACHED: &str = "detached task outlives its job";
const NEEDLESS_ASYNC: &str = "needless async";
const NOT_PARALLEL: &str = "concurrency is not parallelism";

fn section(exercise: &str) -> String {
    format!("13-common-mistakes.md#exercise-{exercise}")
}

fn check(exercise: &str) -> Check {
    Check::new().timeout(WATCHDOG).section(&section(exercise))
}

fn read(exercise: &str) -> String {
    format!("\n  (read: book/src/{})", section(exercise))
}

/// Fails the check: names the mistake, explains it, points to the book.
#[track_caller]
fn mistake(exercise: &str, name: &str, explanation: &str) -> ! {
    panic!("mistake: {name} — {explanation}{}", read(exercise))
}

/// The text of a panic payload (for messages about a caught panic).
fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

mod blocking_sleep {
    use super::*;

    const EX: &str = "blocking_sleep";
    /// The wait between two tries. Short: blocking is caught by counting
    /// polls (a try that comes in the same poll as the one before it), not
    /// by how long anything took.
    const BACKOFF: Duration = Duration::from_millis(5);
    /// The most one poll may take, a backstop for a poll that holds the
    /// thread for long in some other way.
    const POLL_BUDGET: Duration = Duration::from_millis(100);

    /// Fails the check when a try starts in the same poll as the try before
    /// it: fetch_with_retry() never returned Pending between the two, so
    /// its wait (if any) held the thread.
    fn no_wait_between_tries(i: usize, poll: usize, previous: &Mutex<Option<usize>>) {
        let mut previous = previous.lock().unwrap();
        if i > 0 && *previous == Some(poll) {
            mistake(
                EX,
                BLOCKING,
                &format!(
                    "attempt({i}) was called in the same poll as attempt({}): between the \
                     two tries fetch_with_retry() never returned Pending, so it either did \
                     not wait at all or waited by holding the thread. std::thread::sleep \
                     (or block_on, or a spin loop) inside an async fn keeps the thread, so \
                     no other task, timer or socket on it can make progress. Wait with an \
                     async timer, smol::Timer::after(backoff).await, which parks the task \
                     and frees the thread.",
                    i - 1
                ),
            );
        }
        *previous = Some(poll);
    }

    /// Runs `fetch_with_retry(tries, BACKOFF, ..)` with attempts that fail
    /// until `ok_at` (or always, with None) under the blocking detector, and
    /// returns its result (errors as text), the number of attempts and the
    /// number of polls it took.
    fn retry_under_the_detector(
        tries: usize,
        ok_at: Option<usize>,
    ) -> (Result<usize, String>, usize, usize) {
        check(EX)
            .no_poll_budget()
            .hint(
                "fetch_with_retry() never finished. It should try at most `tries` times, \
                 wait `backoff` between two tries, and return the first Ok or the last \
                 error.",
            )
            .run(async move {
                let attempts = Counter::new();
                let counted = attempts.clone();
                let polls = Counter::new();
                let (seen_polls, previous) = (polls.clone(), Mutex::new(None));
                let retry = fetch_with_retry(tries, BACKOFF, move |i| {
                    counted.add(1);
                    no_wait_between_tries(i, seen_polls.get(), &previous);
                    async move {
                        match ok_at {
                            Some(ok) if i >= ok => Ok(i * 10),
                            _ => Err(anyhow!("server busy (attempt {i})")),
                        }
                    }
                });
                let retry = count_polls_into(retry, polls.clone());
                match detect_blocking(retry, POLL_BUDGET).await {
                    Ok(res) => (res.map_err(|e| e.to_string()), attempts.get(), polls.get()),
                    Err(took) => mistake(
                        EX,
                        BLOCKING,
                        &format!(
                            "one poll of fetch_with_retry() held the thread for {} ms; a \
                             poll should take microseconds. While it waited {} ms to retry \
                             it did not return Pending, it kept the thread, so no other \
                             task, timer or socket on that thread could make progress. \
                             std::thread::sleep (or a spin loop, or block_on) inside an \
                             async fn blocks the executor. Wait with an async timer, \
                             smol::Timer::after(backoff).await, which parks the task and \
                             frees the thread.",
                            took.as_millis(),
                            BACKOFF.as_millis()
                        ),
                    ),
                }
            })
    }

    fn assert_no_busy_wait(polls: usize, waits: usize) {
        // One poll to start, one per timer that fires; a little slack for
        // spurious wake-ups.
        let enough = 2 * waits + 2;
        if polls > enough {
            mistake(
                EX,
                BUSY_WAIT,
                &format!(
                    "fetch_with_retry() was polled {polls} times for {waits} waits of {} ms. \
                     A timer wakes its task once per wait, so {} polls are enough. A loop \
                     that checks the clock and yields (or a Timer of 0 ms in a loop) keeps \
                     a core busy and the executor spinning. Let one \
                     smol::Timer::after(backoff).await per wait wake you.",
                    BACKOFF.as_millis(),
                    waits + 1
                ),
            );
        }
    }

    #[test]
    fn waiting_to_retry_does_not_block_the_thread() {
        let (res, attempts, polls) = retry_under_the_detector(3, Some(2));
        assert_eq!(
            res,
            Ok(20),
            "attempts 0 and 1 fail and attempt 2 returns Ok(20), so fetch_with_retry(3, ..) \
             must return Ok(20).{}",
            read(EX)
        );
        assert_eq!(
            attempts,
            3,
            "fetch_with_retry() called attempt() {attempts} times; it needed exactly 3 \
             (0 and 1 fail, 2 succeeds).{}",
            read(EX)
        );
        assert_no_busy_wait(polls, 2);
    }

    #[test]
    fn gives_up_after_the_last_try_with_its_error() {
        let (res, attempts, polls) = retry_under_the_detector(3, None);
        assert_eq!(
            res,
            Err("server busy (attempt 2)".to_string()),
            "every attempt fails, so fetch_with_retry(3, ..) must return the error of the \
             last attempt (attempt 2), unchanged.{}",
            read(EX)
        );
        assert_eq!(
            attempts,
            3,
            "with tries = 3 and every attempt failing, attempt() must be called exactly 3 \
             times, but it was called {attempts} times.{}",
            read(EX)
        );
        assert_no_busy_wait(polls, 3);
    }

    #[test]
    fn another_request_is_served_while_it_waits() {
        // Two requests on one thread: one retries, the other is a quick
        // ping that arrives while the first waits for its second try. The
        // second try only succeeds when the ping was served in between.
        let (res, seen) = check(EX)
            .no_poll_budget()
            .hint(
                "fetch_with_retry() and a ping on the same thread never both finished. \
                 The ping only needs one turn of the thread while fetch_with_retry() \
                 waits between tries.",
            )
            .run(async {
                let served = Arc::new(AtomicBool::new(false));
                let seen = Arc::new(Mutex::new(Vec::new()));
                let (tx, rx) = smol::channel::bounded::<()>(1);
                let (s, log) = (served.clone(), seen.clone());
                let retry = fetch_with_retry(3, BACKOFF, move |i| {
                    let ping_served = s.load(Ordering::SeqCst);
                    log.lock().unwrap().push(ping_served);
                    if i == 0 {
                        // The ping arrives now, while this request waits.
                        let _ = tx.try_send(());
                    }
                    async move {
                        if ping_served {
                            Ok("fetched")
                        } else {
                            Err(anyhow!("not yet"))
                        }
                    }
                });
                let ping = async move {
                    let _ = rx.recv().await;
                    served.store(true, Ordering::SeqCst);
                };
                let (res, ()) = future::zip(retry, ping).await;
                let seen = seen.lock().unwrap().clone();
                (res.map_err(|e| e.to_string()), seen)
            });
        if seen.len() >= 2 && !seen[1] {
            mistake(
                EX,
                BLOCKING,
                &format!(
                    "a ping on the same thread arrived while fetch_with_retry() waited to \
                     retry, and it was not served until every try was over (each attempt \
                     saw ping_served = {seen:?}). The wait held the thread: \
                     std::thread::sleep (or block_on, or a spin loop) inside an async fn \
                     never returns Pending, so the executor cannot run anything else. Wait \
                     with smol::Timer::after(backoff).await."
                ),
            );
        }
        assert_eq!(
            res,
            Ok("fetched"),
            "the ping was served during the first wait, so the second try must succeed \
             (attempts saw ping_served = {seen:?}).{}",
            read(EX)
        );
    }
}

mod swallowed_error {
    use super::*;

    const EX: &str = "swallowed_error";

    /// A config file in the temp dir, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn path(name: &str) -> PathBuf {
            std::env::temp_dir().join(format!("workshop13-{}-{name}", std::process::id()))
        }
        fn with(name: &str, text: &str) -> TempFile {
            let path = Self::path(name);
            std::fs::write(&path, text).expect("could not write a temp file for the check");
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn load(path: &Path) -> anyhow::Result<Config> {
        let path = path.to_path_buf();
        check(EX)
            .hint(
                "load_config() never finished: read the file with \
                 smol::fs::read_to_string(path).await, then go through its lines.",
            )
            .run(async move {
                match AssertUnwindSafe(load_config(&path)).catch_unwind().await {
                    Ok(res) => res,
                    Err(payload) => {
                        let text = payload_text(&*payload);
                        if text.contains(TODO_MARKER) {
                            resume_unwind(payload); // "not solved yet"
                        }
                        mistake(
                            EX,
                            PANICKED,
                            &format!(
                                "load_config() panicked ({text:?}) on a file it could not \
                                 use. unwrap() and expect() turn an error into a crash of \
                                 the whole service; a function that returns Result should \
                                 hand the error to its caller: `?`, with context."
                            ),
                        )
                    }
                }
            })
    }

    /// Loads `text` and expects an error that names `line N`.
    fn expect_line_error(name: &str, text: &str, line: usize, what: &str) -> anyhow::Error {
        let file = TempFile::with(name, text);
        match load(&file.0) {
            Ok(config) => mistake(
                EX,
                SWALLOWED,
                &format!(
                    "load_config() returned Ok({config:?}) for a file whose line {line} is \
                     {what}. That error was dropped on the floor (`if let Ok(..)`, .ok(), \
                     unwrap_or, `continue`, `_ => {{}}`), so the service runs with a \
                     setting nobody wrote and nobody is told which line is wrong. Return \
                     an error instead (`?` on the parse result, bail!(..) for a bad \
                     line).\n  The file was:\n{}",
                    text.lines()
                        .map(|l| format!("    | {l}\n"))
                        .collect::<String>()
                        .trim_end()
                ),
            ),
            Err(e) => {
                let all = format!("{e:#}");
                if !all.contains(&format!("line {line}")) {
                    mistake(
                        EX,
                        NO_CONTEXT,
                        &format!(
                            "load_config() returned the error {all:?} for a file whose \
                             line {line} is {what}, but it does not say which line: \
                             expected the text `line {line}` in it. An error without \
                             context leaves the reader to guess. Add it: \
                             .with_context(|| format!(\"line {{n}}: ...\")), or \
                             bail!(\"line {{n}}: ...\")."
                        ),
                    );
                }
                e
            }
        }
    }

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_that_names_it() {
        let path = TempFile::path("no-such-file.conf");
        let _ = std::fs::remove_file(&path);
        let shown = path.display().to_string();
        match load(&path) {
            Ok(config) => mistake(
                EX,
                SWALLOWED,
                &format!(
                    "load_config() returned Ok({config:?}) for {shown}, a file that does \
                     not exist. The read error was turned into a default \
                     (unwrap_or_default, .ok(), `if let Ok`), so the service starts with \
                     settings nobody wrote, and nobody is told. Propagate it with `?`."
                ),
            ),
            Err(e) => {
                let all = format!("{e:#}");
                if !all.contains(&shown) {
                    mistake(
                        EX,
                        NO_CONTEXT,
                        &format!(
                            "the error is {all:?}: it does not name the file, so whoever \
                             reads it cannot tell which file is missing. Add context that \
                             names it: .with_context(|| format!(\"cannot read config \
                             file {{}}\", path.display()))."
                        ),
                    );
                }
                let io_cause = e
                    .chain()
                    .find_map(|cause| cause.downcast_ref::<io::Error>())
                    .map(|io| io.kind());
                if io_cause != Some(io::ErrorKind::NotFound) {
                    mistake(
                        EX,
                        CAUSE_LOST,
                        &format!(
                            "the error {all:?} no longer carries the std::io::Error \
                             (NotFound) it came from: a new error was made from its text \
                             (anyhow!(\"..{{e}}\"), bail!, map_err(|_| ..)) instead of \
                             wrapping it. Callers can no longer ask what went wrong \
                             (e.downcast_ref::<std::io::Error>()). Keep the original and \
                             add context to it: .context(..) / .with_context(..)."
                        ),
                    );
                }
            }
        }
    }

    #[test]
    fn a_bad_number_is_an_error_that_names_its_line() {
        // A good file still loads, and missing keys keep their defaults.
        let good = TempFile::with(
            "good.conf",
            "# the demo service\nport = 9000\n\nworkers = 16\n",
        );
        let config = load(&good.0).unwrap_or_else(|e| {
            panic!(
                "load_config() failed on a correct file:\n# the demo service\nport = 9000\n\n\
                 workers = 16\n  with the error {e:#}. Skip blank lines and `#` comments, \
                 and trim the spaces around key and value.{}",
                read(EX)
            )
        });
        assert_eq!(
            config,
            Config {
                port: 9000,
                workers: 16
            },
            "a correct file must load with the values it sets.{}",
            read(EX)
        );
        let partial = TempFile::with("partial.conf", "workers = 2\n");
        let config = load(&partial.0).unwrap_or_else(|e| {
            panic!(
                "load_config() failed on `workers = 2` with the error {e:#}.{}",
                read(EX)
            )
        });
        assert_eq!(
            config,
            Config {
                port: 8080,
                workers: 2
            },
            "a key the file does not set keeps its default (port 8080).{}",
            read(EX)
        );

        // A typo in a number is an error that names its line and keeps the
        // ParseIntError as its cause.
        for (name, text, line, what) in [
            (
                "port.conf",
                "workers = 2\nport = 80a0\n",
                2,
                "`port = 80a0`",
            ),
            (
                "workers.conf",
                "# comment\n\nworkers = many\n",
                3,
                "`workers = many`",
            ),
        ] {
            let e = expect_line_error(name, text, line, what);
            if !e.chain().any(|cause| cause.is::<ParseIntError>()) {
                mistake(
                    EX,
                    CAUSE_LOST,
                    &format!(
                        "the error {:?} for {what} no longer carries the ParseIntError that \
                         said why the number is bad: a new error was made (anyhow!, bail!, \
                         map_err(|_| ..)) instead of adding context to the original. Use \
                         value.parse().with_context(|| format!(\"line {{n}}: ...\"))?.",
                        format!("{e:#}")
                    ),
                );
            }
        }
    }

    #[test]
    fn a_line_that_is_not_a_setting_is_an_error_that_names_its_line() {
        expect_line_error(
            "no-equals.conf",
            "port = 9000\nworkers 3\n",
            2,
            "`workers 3` (no `=`)",
        );
        expect_line_error(
            "typo.conf",
            "# production\nprot = 9000\n",
            2,
            "`prot = 9000` (an unknown key)",
        );
    }
}

mod lost_panic {
    use super::*;

    const EX: &str = "lost_panic";

    /// Runs `run_all` on a fresh executor; a panic that escapes it comes
    /// back as `Err(its text)`.
    fn run_jobs(jobs: Vec<future::Boxed<u32>>) -> Result<anyhow::Result<Vec<u32>>, String> {
        // No poll budget: a panicking job runs the panic hook inside a poll,
        // and with RUST_BACKTRACE set, printing a backtrace takes a while.
        check(EX)
            .no_poll_budget()
            .hint(
                "run_all() never finished. Spawn every job on `ex`, keep the Tasks, and \
                 await them; the executor runs while run_all() is awaited.",
            )
            .run(async move {
                let ex = Executor::new();
                match AssertUnwindSafe(ex.run(run_all(&ex, jobs)))
                    .catch_unwind()
                    .await
                {
                    Ok(res) => Ok(res),
                    Err(payload) => {
                        let text = payload_text(&*payload);
                        if text.contains(TODO_MARKER) {
                            resume_unwind(payload); // "not solved yet"
                        }
                        Err(text)
                    }
                }
            })
    }

    /// Expects run_all to report job `bad`'s panic, which said `said`.
    fn expect_reported(outcome: Result<anyhow::Result<Vec<u32>>, String>, bad: usize, said: &str) {
        match outcome {
            Ok(Ok(outputs)) => mistake(
                EX,
                LOST_PANIC,
                &format!(
                    "run_all() returned Ok({outputs:?}): {} outputs for {} jobs, and job \
                     {bad}'s panic ({said:?}) was never reported. A task's panic is caught \
                     by the executor and kept for whoever awaits its Task; a detached task \
                     has no one, so the panic is thrown away with it (at most the panic \
                     hook prints it on stderr). Keep the Task of every job, await them, and \
                     turn a panic into an Err.",
                    outputs.len(),
                    outputs.len() + 1
                ),
            ),
            Err(text) => mistake(
                EX,
                PANIC_ESCAPED,
                &format!(
                    "job {bad}'s panic is no longer lost (good), but it came out of run_all() \
                     as a panic ({text:?}) and would crash the caller: one corrupt image \
                     should not take the server down. run_all() promises an Err that names \
                     the job. Catch the panic: spawn AssertUnwindSafe(job).catch_unwind() \
                     (futures_lite::FutureExt), or catch_unwind the awaited Task, and \
                     return bail!(\"job {{i}} panicked: {{}}\", panic_text(&*payload))."
                ),
            ),
            Ok(Err(e)) => {
                let all = format!("{e:#}");
                if all.contains("without a message") {
                    // Two ways to lose the text: panic_text() cannot read a
                    // String payload, or it was handed the Box.
                    let probe: Box<dyn Any + Send> = Box::new(String::from("a String payload"));
                    let reads_strings =
                        std::panic::catch_unwind(AssertUnwindSafe(|| panic_text(&*probe)))
                            .is_ok_and(|text| text == "a String payload");
                    let cause = if reads_strings {
                        "panic_text() got the Box instead of the payload: &payload is a \
                         &Box<dyn Any + Send>, and a Box is itself a `dyn Any`, so no \
                         downcast fits. Pass &*payload."
                    } else {
                        "a formatted panic (panic!(\"disk {} failed\", 3)) carries a String, \
                         not a &str, and panic_text() does not read String payloads: try \
                         downcast_ref::<String>() as well."
                    };
                    mistake(
                        EX,
                        NO_CONTEXT,
                        &format!(
                            "run_all() reported {all:?}, but job {bad}'s panic said \
                             {said:?}. {cause}"
                        ),
                    );
                }
                if !all.contains(&format!("job {bad}")) || !all.contains(said) {
                    mistake(
                        EX,
                        NO_CONTEXT,
                        &format!(
                            "run_all() returned the error {all:?}; it must name the job \
                             (`job {bad}`) and say what its panic said ({said:?}), so that \
                             someone can find the bad input. Use panic_text(&*payload)."
                        ),
                    );
                }
            }
        }
    }

    /// A gate for `n` jobs that must all be in progress at once.
    fn all_at_once(n: usize) -> Gate {
        Gate::with(
            n,
            PATIENCE,
            "run_all() ran the jobs one after another. Spawn them all on `ex` first \
             (keeping the Tasks), then await the Tasks.",
        )
    }

    /// The gate's verdict, before anything else: a job that waits at a
    /// gate that never opens fails with a panic, and a solution that catches
    /// panics would report it as that job's panic.
    fn assert_ran_together(gate: &Gate, n: usize) {
        if !gate.is_open() {
            mistake(
                EX,
                SEQUENTIAL,
                &format!(
                    "run_all() ran the jobs one after another: at most {} of the {n} jobs \
                     were ever in progress at the same time. Spawn every job on `ex` first \
                     (keeping the Tasks in a Vec), and only then await the Tasks, one by \
                     one: they all run while you wait for the first.",
                    gate.most_waiting()
                ),
            );
        }
    }

    #[test]
    fn a_panicking_job_is_reported_not_lost() {
        let gate = all_at_once(3);
        let jobs = (0..3u32)
            .map(|i| {
                let gate = gate.clone();
                async move {
                    gate.wait().await;
                    if i == 1 {
                        panic!("corrupt image 7");
                    }
                    i * 10
                }
                .boxed()
            })
            .collect();
        let outcome = run_jobs(jobs);
        assert_ran_together(&gate, 3);
        expect_reported(outcome, 1, "corrupt image 7");
    }

    #[test]
    fn a_formatted_panic_message_is_reported_too() {
        let jobs = (0..3u32)
            .map(|i| {
                async move {
                    future::yield_now().await;
                    if i == 2 {
                        // A formatted message: the payload is a String.
                        panic!("disk {} failed", i + 1);
                    }
                    i
                }
                .boxed()
            })
            .collect();
        expect_reported(run_jobs(jobs), 2, "disk 3 failed");
    }

    #[test]
    fn jobs_run_at_once_and_outputs_keep_their_order() {
        // Four good jobs that all wait for each other, then finish in
        // reverse order: the outputs still come back in the jobs' order.
        let gate = all_at_once(4);
        let jobs = (0..4u32)
            .map(|i| {
                let gate = gate.clone();
                async move {
                    gate.wait().await;
                    for _ in 0..(4 - i) {
                        future::yield_now().await;
                    }
                    i * 100
                }
                .boxed()
            })
            .collect();
        let outcome = run_jobs(jobs);
        assert_ran_together(&gate, 4);
        match outcome {
            Ok(Ok(outputs)) => assert_eq!(
                outputs,
                [0, 100, 200, 300],
                "run_all() must return every job's output in the order of the jobs, \
                 whichever finishes first.{}",
                read(EX)
            ),
            Ok(Err(e)) => panic!(
                "no job panicked, yet run_all() returned the error {e:#}.{}",
                read(EX)
            ),
            Err(text) => panic!(
                "no job panicked, yet run_all() panicked: {text}.{}",
                read(EX)
            ),
        }
        // The first job panics, and is the first to finish.
        let jobs = (0..3u32)
            .map(|i| {
                async move {
                    if i == 0 {
                        panic!("out of memory");
                    }
                    future::yield_now().await;
                    i
                }
                .boxed()
            })
            .collect();
        expect_reported(run_jobs(jobs), 0, "out of memory");
    }

    #[test]
    fn panic_text_reads_text_payloads() {
        let texts = check(EX).run_sync(|| {
            let payloads: [Box<dyn Any + Send>; 3] = [
                Box::new("corrupt image"),
                Box::new(String::from("disk 3 failed")),
                Box::new(42u32),
            ];
            payloads.map(|p| panic_text(&*p))
        });
        assert_eq!(
            texts,
            [
                "corrupt image",
                "disk 3 failed",
                "a panic without a message"
            ],
            "panic!(\"corrupt image\") has a &str payload, panic!(\"disk {{}} failed\", 3) a \
             String, and panic_any(42u32) a u32. Try downcast_ref::<&str>() and \
             downcast_ref::<String>(), and fall back to \"a panic without a message\".{}",
            read(EX)
        );
    }
}

mod dropped_task {
    use super::*;

    const EX: &str = "dropped_task";

    /// A heartbeat that sends one beat every few milliseconds until it is
    /// dropped. Its drop probe tells whether it was cancelled.
    struct Heartbeat {
        beats: Counter,
        probe: DropProbe,
    }

    fn heartbeat() -> (
        Heartbeat,
        impl Future<Output = ()> + Send + 'static,
        smol::channel::Receiver<usize>,
    ) {
        let (tx, rx) = smol::channel::unbounded();
        let beats = Counter::new();
        let probe = DropProbe::new();
        let (b, token) = (beats.clone(), probe.token());
        let beat = async move {
            let _token = token;
            for n in 0.. {
                b.add(1);
                let _ = tx.send(n).await; // the work may be done listening
                Timer::after(Duration::from_millis(2)).await;
            }
        };
        (Heartbeat { beats, probe }, beat, rx)
    }

    /// The work: an upload that needs `beats` heartbeats to finish. It
    /// stops early (with fewer) when the heartbeat is gone.
    async fn upload(rx: smol::channel::Receiver<usize>, beats: usize) -> usize {
        let mut heard = 0;
        while heard < beats && rx.recv().await.is_ok() {
            heard += 1;
        }
        heard
    }

    /// Runs with_heartbeat on a fresh executor, then lets the executor run a
    /// little more. Returns (beats the work heard or None when with_heartbeat
    /// never returned, dropped right after return, dropped a moment later,
    /// beats after return).
    fn run(
        hb: &Heartbeat,
        beat: impl Future<Output = ()> + Send + 'static,
        rx: smol::channel::Receiver<usize>,
        need: usize,
    ) -> (Option<usize>, bool, bool, usize) {
        let (beats, probe) = (hb.beats.clone(), hb.probe.clone());
        check(EX).run(async move {
            let ex = Executor::new();
            ex.run(async {
                let call = async { Some(with_heartbeat(&ex, beat, upload(rx, need)).await) };
                let patience = async {
                    Timer::after(PATIENCE).await;
                    None
                };
                let heard = call.or(patience).await;
                let (dropped_at_return, beats_at_return) = (probe.dropped(), beats.get());
                // Wait until the heartbeat is gone (a cancelled Task's
                // future is dropped within a few turns of the executor) or
                // beats again (it outlived the call), whichever comes first.
                let gone_or_beating = async {
                    while !probe.dropped() && beats.get() == beats_at_return {
                        Timer::after(Duration::from_millis(1)).await;
                    }
                };
                let patience = async {
                    Timer::after(PATIENCE).await;
                };
                gone_or_beating.or(patience).await;
                (
                    heard,
                    dropped_at_return,
                    probe.dropped(),
                    beats.get() - beats_at_return,
                )
            })
            .await
        })
    }

    fn diagnose_the_work(heard: Option<usize>, need: usize, hb: &Heartbeat) {
        match heard {
            None => mistake(
                EX,
                "awaited a task that never ends",
                &format!(
                    "with_heartbeat() did not return within {} s, although the work is done \
                     after {need} heartbeats and the heartbeat beat {} times. Did it await \
                     the heartbeat (ex.spawn(heartbeat).await, zip)? A heartbeat never \
                     ends: keep its Task in a variable, do not await it, and await the \
                     work.",
                    PATIENCE.as_secs(),
                    hb.beats.get()
                ),
            ),
            Some(heard) if heard < need && hb.beats.get() == 0 => mistake(
                EX,
                DROPPED_TASK,
                "the heartbeat never beat once: its future was dropped before it ever \
                 ran, and the work waited for a heartbeat that could not come. \
                 `let _ = ex.spawn(..)` drops the Task on the spot (`_` is not a \
                 variable), and dropping a Task cancels it. Keep the Task in a named \
                 variable for as long as the work runs: `let heartbeat = ex.spawn(..)` \
                 (`let _heartbeat` works too). clippy::let_underscore_future flags \
                 exactly this line.",
            ),
            Some(heard) if heard < need => mistake(
                EX,
                DROPPED_TASK,
                &format!(
                    "the heartbeat stopped after {} beats, while the work still waited for \
                     one (it heard {heard} of {need}). Its Task was dropped (cancelled) \
                     before the work was done; keep it until the work is done.",
                    hb.beats.get()
                ),
            ),
            Some(_) => {}
        }
    }

    #[test]
    fn the_heartbeat_beats_while_the_work_runs() {
        let (hb, beat, rx) = heartbeat();
        let (heard, _, _, _) = run(&hb, beat, rx, 3);
        diagnose_the_work(heard, 3, &hb);
        assert_eq!(
            heard,
            Some(3),
            "the work needs 3 heartbeats and must get them.{}",
            read(EX)
        );
    }

    #[test]
    fn the_heartbeat_stops_once_the_work_is_done() {
        let (hb, beat, rx) = heartbeat();
        let (heard, _, dropped_later, beats_after) = run(&hb, beat, rx, 2);
        diagnose_the_work(heard, 2, &hb);
        if !dropped_later {
            mistake(
                EX,
                DETACHED,
                &format!(
                    "the upload was done, but its heartbeat kept beating afterwards ({} \
                     more beats) and its task was never cancelled. A detached task \
                     (.detach()) runs on its own until it ends or the executor is dropped; \
                     a heartbeat never ends, so it pings for a session that is over. The \
                     heartbeat belongs to the work: keep its Task while the work runs and \
                     let it go when the work is done (drop it, or task.cancel().await).",
                    beats_after
                ),
            );
        }
    }
}

/// Tells, for a call written in a test, whether it returned a Future or a
/// plain value, without failing to compile either way (autoref
/// specialization: the method lookup tries `&&Returned<T>` first, where
/// only futures have `answer`, then `&Returned<T>`, where everything has).
mod returned {
    // Only one of the two traits is used, depending on the function.
    #![allow(dead_code)]

    use std::cell::Cell;
    use std::future::Future;

    pub struct Returned<T>(pub Cell<Option<T>>);

    /// Found first: the call returned a Future. Its answer is not there
    /// (nothing polled it), so this gives the future's type name.
    pub trait IsFuture {
        type Output;
        fn answer(&self) -> Result<Self::Output, &'static str>;
    }

    impl<F: Future> IsFuture for &Returned<F> {
        type Output = F::Output;
        fn answer(&self) -> Result<F::Output, &'static str> {
            Err(std::any::type_name::<F>())
        }
    }

    /// Found otherwise: the call returned its answer.
    pub trait IsPlain {
        type Output;
        fn answer(&self) -> Result<Self::Output, &'static str>;
    }

    impl<T> IsPlain for Returned<T> {
        type Output = T;
        fn answer(&self) -> Result<T, &'static str> {
            Ok(self.0.take().expect("answer() is asked once"))
        }
    }
}

/// `answer_of!(f(x))` is `Ok(the value)` when `f` is a plain function and
/// `Err(type name)` when `f(x)` returned a Future (which is not polled).
macro_rules! answer_of {
    ($call:expr) => {{
        #[allow(unused_imports)]
        use returned::{IsFuture as _, IsPlain as _};
        (&&returned::Returned(std::cell::Cell::new(Some($call)))).answer()
    }};
}

mod needless_async {
    use super::*;

    const EX: &str = "needless_async";

    type Header = Option<(String, String)>;

    fn pair(name: &str, value: &str) -> Header {
        Some((name.to_string(), value.to_string()))
    }

    /// Calls parse_header on each line, on a plain thread with no executor.
    fn parse_on_a_plain_thread(lines: &'static [&'static str]) -> Vec<Header> {
        let answers = check(EX).run_sync(move || {
            lines
                .iter()
                .map(|line| answer_of!(parse_header(line)))
                .collect::<Vec<_>>()
        });
        answers
            .into_iter()
            .zip(lines)
            .map(|(answer, line)| {
                answer.unwrap_or_else(|future_type| {
                    mistake(
                        EX,
                        NEEDLESS_ASYNC,
                        &format!(
                            "parse_header({line:?}) returned a Future ({future_type}), not a \
                             header. An async fn does nothing until something polls it, so \
                             this plain thread, which has no executor, cannot get an answer \
                             without smol::block_on, and a call that forgets .await silently \
                             does nothing. parse_header never waits for anything (no I/O, \
                             no timer, no lock); it only looks at a string. Make it a plain \
                             `pub fn`: it can still be called from async code, as it is. \
                             (The pedantic lint clippy::unused_async finds such functions.)"
                        ),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn parse_header_is_a_plain_function() {
        let got = parse_on_a_plain_thread(&["Host: example.com"]);
        assert_eq!(
            got,
            [pair("host", "example.com")],
            "`Host: example.com` is the header (\"host\", \"example.com\").{}",
            read(EX)
        );
    }

    #[test]
    fn it_parses_headers_on_a_plain_thread() {
        let got = parse_on_a_plain_thread(&[
            "Content-Length: 42",
            "X-Trace-Id:abc-123",
            "  Accept :  text/html , */*  ",
            "Referer: http://example.com:8080/",
            "X-Empty:",
        ]);
        assert_eq!(
            got,
            [
                pair("content-length", "42"),
                pair("x-trace-id", "abc-123"),
                pair("accept", "text/html , */*"),
                pair("referer", "http://example.com:8080/"),
                pair("x-empty", ""),
            ],
            "each header is (name in lower case, value without the spaces around it); the \
             line is split at its first ':' only.{}",
            read(EX)
        );
    }

    #[test]
    fn lines_that_are_not_headers_give_none() {
        let got = parse_on_a_plain_thread(&["", "no colon here", ": no name", "   : x"]);
        assert_eq!(
            got,
            [None, None, None, None],
            "a line without ':' or with an empty name is not a header: None.{}",
            read(EX)
        );
    }
}

mod not_parallel {
    use super::*;

    const EX: &str = "not_parallel";

    /// A one-shot signal between an async task and blocking threads. Once a
    /// wait has timed out the latch is broken, and later waits give up at
    /// once (so that wrong code fails once, not once per job).
    #[derive(Clone, Default)]
    struct Latch(Arc<(Mutex<(bool, bool)>, Condvar)>);

    impl Latch {
        fn open(&self) {
            let (state, cond) = &*self.0;
            state.lock().unwrap().0 = true;
            cond.notify_all();
        }
        /// Waits for the latch to open; false after PATIENCE.
        fn wait(&self) -> bool {
            let (state, cond) = &*self.0;
            let s = state.lock().unwrap();
            let (mut s, _) = cond
                .wait_timeout_while(s, PATIENCE, |(open, broken)| !*open && !*broken)
                .unwrap();
            if !s.0 {
                s.1 = true;
                cond.notify_all();
            }
            s.0
        }
    }

    /// Fails at once when a job runs on `executor`, the thread that polls
    /// crunch_both(), instead of waiting for probes that cannot succeed.
    fn off_the_executor(job: &str, executor: thread::ThreadId) {
        if thread::current().id() == executor {
            mistake(
                EX,
                NOT_PARALLEL,
                &format!(
                    "job {job} ran on the executor's own thread, inside a poll: while it \
                     crunched, no other task on that thread could run, and the two jobs \
                     could not run at once. zip, join and spawning onto the same executor \
                     only interleave futures at their .await points; a CPU-heavy closure \
                     has none. Give each job a thread of its own: smol::unblock(job)."
                ),
            );
        }
    }

    #[test]
    fn the_two_jobs_run_on_two_threads_at_once() {
        let gate = Gate::with(
            2,
            PATIENCE,
            &format!(
                "mistake: {NOT_PARALLEL} — crunch_both() ran the two jobs one after the other, \
                 on one thread (with future::zip, or as tasks on an executor that has one \
                 thread). future::zip gives you concurrency (both in progress, taking \
                 turns at their .await points), not parallelism: a closure that never \
                 awaits runs to its end inside one poll, on the thread that polls it. To \
                 keep two cores busy, each job needs a thread of its own: \
                 smol::unblock(job) runs it on blocking's thread pool and gives you a \
                 future to zip."
            ),
        );
        let (ga, gb) = (gate.clone(), gate);
        let ((a, thread_a), (b, thread_b), executor_thread) = check(EX)
            .poll_budget(Duration::from_millis(250))
            .hint(&format!(
                "mistake: {BLOCKING} — crunch_both() blocked the executor's thread while \
                 the jobs ran. Await them instead: smol::unblock(job) returns a future."
            ))
            .run(async move {
                let executor = thread::current().id();
                let job_a = move || {
                    off_the_executor("a", executor);
                    ga.wait_blocking();
                    ("left", thread::current().id())
                };
                let job_b = move || {
                    off_the_executor("b", executor);
                    gb.wait_blocking();
                    (2u8, thread::current().id())
                };
                let (ra, rb) = crunch_both(job_a, job_b).await;
                (ra, rb, executor)
            });
        assert_eq!(
            (a, b),
            ("left", 2),
            "crunch_both(a, b) must return (a's result, b's result), in that order.{}",
            read(EX)
        );
        assert!(
            thread_a != thread_b,
            "mistake: {NOT_PARALLEL} — both jobs ran on the same thread.{}",
            read(EX)
        );
        assert!(
            thread_a != executor_thread && thread_b != executor_thread,
            "a job ran on the executor's thread.{}",
            read(EX)
        );
    }

    #[test]
    fn the_executor_stays_free_while_they_crunch() {
        // Another task on the same executor must get turns while the jobs
        // run: the jobs wait (blocking, as CPU work would) until it has
        // ticked three times.
        let report = check(EX).no_poll_budget().run(async {
            let ex = Executor::new();
            let latch = Latch::default();
            let opener = latch.clone();
            let ticker = ex.spawn(async move {
                for _ in 0..3 {
                    Timer::after(Duration::from_millis(1)).await;
                }
                opener.open();
            });
            let executor = thread::current().id();
            let job = |name: &'static str, latch: Latch| {
                move || {
                    off_the_executor(name, executor);
                    latch.wait()
                }
            };
            let both = crunch_both(job("a", latch.clone()), job("b", latch));
            let (a, b) = ex.run(both).await;
            drop(ticker);
            (a, b)
        });
        if let (true, true) = report {
            return;
        }
        mistake(
            EX,
            BLOCKING,
            "the jobs ran on other threads, but crunch_both() waited for them by blocking \
             the executor's thread (thread::scope, JoinHandle::join, block_on), so the other \
             task on this executor never got a turn. Wait for them with .await instead: \
             smol::unblock(job) returns a future, and future::zip awaits both.",
        );
    }
}
