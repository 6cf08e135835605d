//! Checks for lesson 10 — data pipelines and backpressure. Compiled for both
//! exercises/10-data-pipelines and solutions/10-data-pipelines.
//!
//! No check measures elapsed time. Backpressure is proven by counting how
//! far the source ever gets ahead of the sink; the concurrency limit with an
//! in-flight counter and a gate that only opens when `limit` jobs run at
//! once; flushing with a writer that only keeps flushed bytes and with real
//! files; small memory with a counting allocator that records the most heap
//! this thread ever held while an 8 MB input streamed through.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use data_pipelines::{Counts, count_words, map_concurrent, pipeline, save_lines, write_lines};
use futures_lite::io::{AsyncRead, AsyncWrite};
use futures_lite::{StreamExt, future, stream};
use smol::Timer;
use testkit::Check;
use testkit::probes::{Counter, Gate, InFlight};

/// How long a probe waits before it decides the code is wrong. Only a wrong
/// solution ever waits this long.
const PATIENCE: Duration = Duration::from_secs(3);
/// The watchdog for checks where wrong code hangs: well below the default.
const WATCHDOG: Duration = Duration::from_secs(5);

/// The blocking detector's budget per poll. No mistake of this lesson is
/// caught by the budget alone (blocking calls here deadlock, and the
/// watchdog names them), so it is generous: a busy machine must not fail a
/// correct solution that streams megabytes.
const POLL_BUDGET: Duration = Duration::from_millis(500);

fn check(section: &str) -> Check {
    Check::new()
        .timeout(WATCHDOG)
        .poll_budget(POLL_BUDGET)
        .section(&format!("10-data-pipelines.md#{section}"))
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/10-data-pipelines.md#{section})")
}

// ------------------------------------------------------------- helpers

// The checked future runs on one thread (the check's), so that thread's
// heap peak is what the learner's code kept in memory at once.
#[global_allocator]
static HEAP: testkit::heap::CountingAlloc = testkit::heap::CountingAlloc;

/// A fresh directory under the system temp dir, removed again on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "workshop-10-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("could not create a temp dir for the check");
        TempDir(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ------------------------------------------------------------ pipeline

mod pipeline {
    use super::*;

    const STAGE_HINT: &str = "a stage never finished: close the channel by dropping every \
         Sender, and run the three stages at the same time (future::zip). When the thread is \
         stuck inside one call, a stage blocked it: inside async code use send(..).await and \
         recv().await, never send_blocking / recv_blocking (or any other blocking call); the \
         stages share one thread, and a stage that blocks it stops the stage it waits for.";

    /// Turns of the executor in a row in which no item moves before the
    /// pipeline counts as stuck. A working pipeline moves one every few turns.
    const STALLED_TURNS: usize = 5_000;

    /// Runs `pipe` with a patience: when it has stopped moving (or has not
    /// returned after PATIENCE), fails with what the counters say went wrong.
    async fn diagnosed<T>(
        pipe: impl std::future::Future<Output = T>,
        n: usize,
        pulled: &Counter,
        delivered: &Counter,
    ) -> T {
        let patience = async {
            // Everything here runs on this one thread, with no I/O and no
            // timers: a pipeline that works moves an item every few turns.
            // Many turns of the executor in a row with nothing moving means
            // it is stuck (the timer is a fallback only).
            let stalled = async {
                let (mut last, mut idle) = ((pulled.get(), delivered.get()), 0);
                while idle < STALLED_TURNS {
                    future::yield_now().await;
                    let now = (pulled.get(), delivered.get());
                    idle = if now == last { idle + 1 } else { 0 };
                    last = now;
                }
            };
            future::or(stalled, async {
                Timer::after(PATIENCE).await;
            })
            .await;
            let (pulled, delivered) = (pulled.get(), delivered.get());
            let what = match n {
                0 => "the source was empty".to_string(),
                n => format!("all {n} items reached the sink"),
            };
            let why = if delivered == n {
                format!(
                    "{what}, but pipeline() never returned: a stage \
                     never finished: close the channel by dropping every Sender. A stage \
                     written as `async move {{ .. }}` owns its Sender and drops it when it \
                     ends, which closes the channel and ends the next stage's recv() loop. A \
                     Sender that the stage only borrows (plain `async {{ .. }}`) lives until \
                     pipeline() returns, so the next stage waits for more items forever."
                )
            } else if delivered == 0 && pulled > 0 {
                format!(
                    "the source gave {pulled} items, then nothing moved and the sink got none: \
                     the stages ran one after another. The read stage filled its bounded \
                     channel and now waits for room that only the next stage can make, but \
                     that stage has not started. Run all three at the same time: \
                     future::zip(future::zip(read, work), write).await."
                )
            } else {
                format!(
                    "the sink got {delivered} of {n} items (the source gave {pulled}), then \
                     the pipeline stopped moving. Every stage must loop until its input ends \
                     (recv() returns Err once the channel is closed and empty), all three \
                     must run at the same time (future::zip), and each must drop its Sender \
                     when it ends."
                )
            };
            panic!("{why}{}", read("exercise-pipeline"))
        };
        future::or(pipe, patience).await
    }

    fn run_numbers(n: u32, capacity: usize) -> (usize, Vec<u32>) {
        check("exercise-pipeline")
            .hint(STAGE_HINT)
            .run_local(move || async move {
                let (pulled, delivered) = (Counter::new(), Counter::new());
                let p = pulled.clone();
                let source = stream::iter(0..n).inspect(move |_| p.add(1));
                let mut got = Vec::new();
                let pipe = pipeline(
                    source,
                    capacity,
                    |x| x * 10,
                    async |y| {
                        delivered.add(1);
                        got.push(y)
                    },
                );
                let count = diagnosed(pipe, n as usize, &pulled, &delivered).await;
                (count, got)
            })
    }

    #[test]
    fn every_item_arrives_in_order_and_every_stage_ends() {
        let (count, got) = run_numbers(100, 4);
        let want: Vec<u32> = (0..100).map(|x| x * 10).collect();
        assert_eq!(
            got,
            want,
            "the sink should get transform(0), transform(1), ... transform(99) in order; it got \
             {} items: {got:?}. Send every item of the source into the first channel, \
             transform every item from it into the second, and call the sink for every item \
             from that.{}",
            got.len(),
            read("exercise-pipeline")
        );
        assert_eq!(
            count,
            100,
            "pipeline() must return how many items reached the sink (100), it returned \
             {count}.{}",
            read("exercise-pipeline")
        );
    }

    #[test]
    fn a_capacity_of_one_still_delivers_everything() {
        let (count, got) = run_numbers(50, 1);
        let want: Vec<u32> = (0..50).map(|x| x * 10).collect();
        assert_eq!(
            (count, got),
            (50, want),
            "with channels of capacity 1 the pipeline must still deliver all 50 items, in \
             order. Use async_channel::bounded(capacity) as it is given (bounded(0) \
             panics).{}",
            read("exercise-pipeline")
        );
    }

    #[test]
    fn an_empty_source_ends_the_pipeline() {
        let (count, got) = run_numbers(0, 2);
        assert!(
            count == 0 && got.is_empty(),
            "an empty source has nothing to deliver: pipeline() should return 0 and never \
             call the sink (it returned {count}, the sink got {got:?}).{}",
            read("exercise-pipeline")
        );
    }

    /// How far the source ever got ahead of the sink, and what the sink got.
    struct Flow {
        most_ahead: usize,
        count: usize,
        items: usize,
        bytes: usize,
    }

    /// Streams `n` lines of 1 KiB (10 MB for n = 10_000) from a source that
    /// never waits into a slow sink, and measures how many items were ever
    /// between them.
    fn stream_through(n: usize, capacity: usize) -> Flow {
        check("exercise-pipeline")
            .hint(STAGE_HINT)
            .run_local(move || async move {
                let produced = Counter::new();
                let consumed = Counter::new();
                let most_ahead = Arc::new(AtomicUsize::new(0));
                let (p, c, most) = (produced.clone(), consumed.clone(), most_ahead.clone());
                let source = stream::unfold(0usize, move |i| {
                    let (p, c, most) = (p.clone(), c.clone(), most.clone());
                    async move {
                        if i == n {
                            return None;
                        }
                        p.add(1);
                        most.fetch_max(p.get() - c.get(), Ordering::SeqCst);
                        let line = format!("{i:>8} {}", "x".repeat(1024 - 10));
                        Some((line, i + 1))
                    }
                });
                let (mut items, mut bytes) = (0, 0);
                let pipe = pipeline(
                    source,
                    capacity,
                    |line: String| line.len() + 1,
                    async |len| {
                        consumed.add(1);
                        items += 1;
                        bytes += len;
                        // A slow consumer: it needs a few turns per item.
                        for _ in 0..3 {
                            future::yield_now().await;
                        }
                    },
                );
                let count = diagnosed(pipe, n, &produced, &consumed).await;
                Flow {
                    most_ahead: most_ahead.load(Ordering::SeqCst),
                    count,
                    items,
                    bytes,
                }
            })
    }

    #[test]
    fn a_full_channel_slows_the_producer_down() {
        let (n, capacity) = (10_000, 3);
        let flow = stream_through(n, capacity);
        assert!(
            flow.count == n && flow.items == n && flow.bytes == n * 1024,
            "all {n} lines (10 MB) should reach the sink; it got {} lines, {} bytes, and \
             pipeline() returned {}.{}",
            flow.items,
            flow.bytes,
            flow.count,
            read("exercise-pipeline")
        );
        let bound = 2 * capacity + 2;
        assert!(
            flow.most_ahead <= bound,
            "the source got {} items ahead of the sink, but with two channels of capacity \
             {capacity} at most {bound} items can be on their way ({capacity} in each channel, plus \
             one in the hands of the read stage and one in the transform stage). The \
             channels did not push back, so memory grows with the input: use \
             async_channel::bounded(capacity), not unbounded() (and not a bigger \
             capacity), and have each stage await its send().{}",
            flow.most_ahead,
            read("exercise-pipeline")
        );
        assert!(
            flow.most_ahead >= 2 * capacity,
            "the source was never more than {} items ahead of a slow sink; with two \
             channels of capacity {capacity} the pipeline should fill up to {bound} items \
             (both channels full, one item in the hands of the read stage and one in the \
             transform stage). Use two channels, both async_channel::bounded(capacity), \
             between three stages.{}",
            flow.most_ahead,
            read("exercise-pipeline")
        );
    }
}

// ------------------------------------------------------ map_concurrent

mod map_concurrent {
    use super::*;

    fn limit_hint(limit: usize) -> String {
        // The check adds the "(read: ..)" line to a gate's message itself.
        format!(
            "map_concurrent() never had {limit} jobs running at once. A limit of {limit} \
             means exactly {limit} jobs in flight: Semaphore::new(limit) (not limit - 1), and \
             start the next job while the others still run (spawn it as a task) instead of \
             awaiting each job before the next."
        )
    }

    const HANG_HINT: &str = "map_concurrent() never returned. Spawn each job as a task \
         (smol::spawn) holding its permit, keep the Task handles, and await them; a permit \
         that is never dropped (or a task that is never awaited) leaves the others waiting.";

    #[test]
    fn a_limit_of_zero_is_refused_at_once() {
        // With no slot, no job could ever start: the contract says to panic
        // instead of hanging. The call runs on a thread of its own so that a
        // hang becomes a verdict.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let out = std::panic::catch_unwind(|| {
                smol::block_on(map_concurrent(vec![1u32, 2], 0, |x: u32| async move { x }))
            });
            let said = match &out {
                Ok(_) => None,
                Err(p) => Some(
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                ),
            };
            let _ = tx.send(said);
        });
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Some(msg)) if msg.contains("not yet implemented") => panic!(
                "this exercise is not solved yet: the code reached a `todo!()`.{}",
                read("exercise-map_concurrent")
            ),
            Ok(Some(_)) => {}
            Ok(None) => panic!(
                "map_concurrent(.., 0, ..) returned: with a limit of 0 no job may ever run, \
                 so the contract asks for a panic, not a result.{}",
                read("exercise-map_concurrent")
            ),
            Err(_) => panic!(
                "map_concurrent(.., 0, ..) still had not returned after 1 s: with a limit of 0 \
                 no job can ever start, so it waits forever. Refuse a limit of 0 at once, \
                 with a panic, as the contract says.{}",
                read("exercise-map_concurrent")
            ),
        }
    }

    /// Runs `n` jobs with `limit` where every job waits at a gate for
    /// `limit` at once, then `linger`s a little (so that a job over the limit
    /// has the time to show up), and returns (results, most at once, total).
    fn run_limited(n: u32, limit: usize, gate_for: usize) -> (Vec<u32>, usize, usize) {
        let inflight = InFlight::new();
        let gate = Gate::with(gate_for, PATIENCE, &limit_hint(gate_for));
        let probe = inflight.clone();
        let started = inflight.clone();
        let out = check("exercise-map_concurrent")
            .hint(HANG_HINT)
            .run(async move {
                let jobs = map_concurrent((0..n).collect(), limit, move |x: u32| {
                    let (inflight, gate) = (probe.clone(), gate.clone());
                    async move {
                        let _job = inflight.enter();
                        gate.wait().await;
                        Timer::after(Duration::from_millis(20)).await;
                        x * 10
                    }
                });
                // Longer than the gate's patience: the gate speaks first.
                let patience = async {
                    Timer::after(PATIENCE + Duration::from_secs(1)).await;
                    let total = started.total();
                    let why = if total == 0 {
                        format!(
                            "map_concurrent(.., limit = {limit}, ..) never started a single \
                             job: no permit was ever free. Make the Semaphore with `limit` \
                             permits (Semaphore::new(limit), not limit - 1)."
                        )
                    } else {
                        format!(
                            "map_concurrent() started {total} of {n} jobs and then nothing \
                             moved: the remaining jobs wait for a permit that is never given \
                             back. Drop each permit when its job ends (move it into the \
                             job's task), and await every Task."
                        )
                    };
                    panic!("{why}{}", read("exercise-map_concurrent"))
                };
                future::or(jobs, patience).await
            });
        (out, inflight.max(), inflight.total())
    }

    fn over_the_limit(limit: usize, most: usize) -> String {
        format!(
            "map_concurrent(.., limit = {limit}, ..) had {most} jobs running at the same time; \
             at most {limit} may. Hold a permit for the whole job: \
             `let permit = sem.acquire_arc().await;` before you start it, and move the permit \
             into the task so it is dropped when the job ends. Careful: \
             `let _ = sem.acquire().await;` drops the guard at once (write `let _permit = ..`).{}",
            read("exercise-map_concurrent")
        )
    }

    #[test]
    fn runs_exactly_limit_jobs_at_once() {
        let (out, most, total) = run_limited(12, 3, 3);
        assert!(most <= 3, "{}", over_the_limit(3, most));
        assert_eq!(
            total,
            12,
            "12 items should run 12 jobs, {total} ran: call f once per item.{}",
            read("exercise-map_concurrent")
        );
        let want: Vec<u32> = (0..12).map(|x| x * 10).collect();
        assert_eq!(
            out,
            want,
            "expected every job's result, in the order of the items.{}",
            read("exercise-map_concurrent")
        );
    }

    #[test]
    fn a_limit_of_one_runs_one_job_at_a_time() {
        let (out, most, _) = run_limited(5, 1, 1);
        assert!(most <= 1, "{}", over_the_limit(1, most));
        assert_eq!(
            out,
            [0, 10, 20, 30, 40],
            "expected the 5 results in the order of the items.{}",
            read("exercise-map_concurrent")
        );
    }

    #[test]
    fn a_limit_above_the_input_size_runs_everything_at_once() {
        let (out, most, _) = run_limited(4, 10, 4);
        assert!(most <= 4, "only 4 items, yet {most} jobs ran at once?");
        assert_eq!(
            out,
            [0, 10, 20, 30],
            "with a limit of 10 and 4 items all 4 run at once; expected their results in \
             order.{}",
            read("exercise-map_concurrent")
        );
    }

    /// Waits until `signal` is closed, or fails with `why` after PATIENCE.
    async fn wait_closed(signal: async_channel::Receiver<()>, why: String) {
        let closed = async {
            let _ = signal.recv().await;
        };
        let patience = async {
            Timer::after(PATIENCE).await;
            panic!("{why}");
        };
        future::or(closed, patience).await
    }

    #[test]
    fn results_come_back_in_input_order() {
        // Job i finishes only after job i + 1 has finished: they finish in
        // reverse order, and the results must still be in input order.
        let n = 6;
        let (done_tx, done_rx): (Vec<_>, Vec<_>) =
            (0..n).map(|_| async_channel::bounded::<()>(1)).unzip();
        let done_tx = Arc::new(Mutex::new(
            done_tx.into_iter().map(Some).collect::<Vec<_>>(),
        ));
        let out = check("exercise-map_concurrent")
            .hint(HANG_HINT)
            .run(async move {
                map_concurrent((0..n).collect(), n, move |i: usize| {
                    let mine = done_tx.lock().unwrap()[i].take();
                    let next = done_rx.get(i + 1).cloned();
                    async move {
                        if let Some(next) = next {
                            let why = format!(
                                "job {i} waited for job {} to finish, but it never did. With a \
                                 limit of {n} and {n} items, all jobs must run at the same \
                                 time: start every job (as a task) before you await any \
                                 result.{}",
                                i + 1,
                                read("exercise-map_concurrent")
                            );
                            wait_closed(next, why).await;
                        }
                        drop(mine); // closes this job's channel: "I am done"
                        i * 10
                    }
                })
                .await
            });
        let want: Vec<usize> = (0..n).map(|i| i * 10).collect();
        assert_eq!(
            out,
            want,
            "the jobs finished in reverse order (the last item first), and map_concurrent() \
             returned {out:?}: results in the order they finished. Return them in the order \
             of the items: await the Tasks in the order you spawned them (or store each \
             result at its item's index).{}",
            read("exercise-map_concurrent")
        );
    }

    #[test]
    fn a_finished_job_frees_its_slot_at_once() {
        // limit 3: job 0 is slow and only finishes once job 3 has started;
        // jobs 1 and 2 finish at once, so their slots are free for job 3.
        let started_3 = async_channel::bounded::<()>(1);
        let started = Arc::new(Mutex::new(Some(started_3.0)));
        let signal = started_3.1;
        let out = check("exercise-map_concurrent")
            .hint(HANG_HINT)
            .run(async move {
                map_concurrent((0..6).collect(), 3, move |i: u32| {
                    let started = started.clone();
                    let signal = signal.clone();
                    async move {
                        if i == 3 {
                            started.lock().unwrap().take(); // "job 3 has started"
                        }
                        if i == 0 {
                            let why = format!(
                                "job 0 waited for job 3 to start, but it never did, although \
                                 jobs 1 and 2 had finished and their slots were free: \
                                 map_concurrent() ran the jobs in batches (start 3, wait for \
                                 all 3, start the next 3). A slow job then holds up the whole \
                                 batch. Start a new job as soon as any running job is done: \
                                 one Semaphore permit per job, released when that job \
                                 ends.{}",
                                read("exercise-map_concurrent")
                            );
                            wait_closed(signal, why).await;
                        }
                        i
                    }
                })
                .await
            });
        assert_eq!(
            out,
            [0, 1, 2, 3, 4, 5],
            "expected the 6 results in the order of the items.{}",
            read("exercise-map_concurrent")
        );
    }
}

// ---------------------------------------------------------- write_lines

mod write_lines {
    use super::*;

    /// What the test writer saw.
    #[derive(Default)]
    struct Seen {
        /// Bytes written but not yet flushed: a real writer may still hold
        /// them in a buffer, so they count as lost when it is dropped.
        pending: Vec<u8>,
        /// Bytes that were flushed (or closed): safe.
        flushed: Vec<u8>,
        writes: usize,
        fail: bool,
    }

    /// A writer that only keeps what was flushed, like a file behind a
    /// buffer. With `fail` every write fails, like a full disk.
    #[derive(Clone, Default)]
    struct TestWriter(Arc<Mutex<Seen>>);

    impl AsyncWrite for TestWriter {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let mut s = self.0.lock().unwrap();
            if s.fail {
                return Poll::Ready(Err(io::Error::other(
                    "disk full (a test writer that always fails)",
                )));
            }
            s.writes += 1;
            s.pending.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            let mut s = self.0.lock().unwrap();
            let pending = std::mem::take(&mut s.pending);
            s.flushed.extend_from_slice(&pending);
            Poll::Ready(Ok(()))
        }
        fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            self.poll_flush(cx)
        }
    }

    fn lines(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("line {i:05}: the quick brown fox"))
            .collect()
    }

    fn joined(lines: &[String]) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Sends `lines` into a channel from a producer that runs next to `f`.
    async fn feed<T>(
        lines: Vec<String>,
        f: impl AsyncFnOnce(async_channel::Receiver<String>) -> T,
    ) -> T {
        let (tx, rx) = async_channel::bounded(16);
        let producer = async move {
            for line in lines {
                if tx.send(line).await.is_err() {
                    break; // the writer stopped reading (an error)
                }
            }
        };
        let ((), out) = future::zip(producer, f(rx)).await;
        out
    }

    const HANG_HINT: &str = "write_lines() never returned: it should stop when recv() \
         returns Err (the channel is closed and empty), and it must not block the thread.";

    fn lost_message(what: &str, got: usize, want: usize) -> String {
        format!(
            "{what} has {got} of the {want} bytes written to it: the last {} bytes were \
             still in a buffer when the writer was dropped (in the BufWriter, or in \
             async_fs::File, which hands the bytes to a background thread). Flush before drop: \
             `out.flush().await?` (or `out.close().await?`) before you return. Neither a \
             BufWriter nor an async_fs::File can write anything in Drop (there is no async \
             Drop).{}",
            want - got,
            read("exercise-write_lines")
        )
    }

    fn to_file(n: usize) {
        let dir = TempDir::new("write");
        let path = dir.file("out.txt");
        let lines = lines(n);
        let want = joined(&lines);
        let p = path.clone();
        let count = check("exercise-write_lines")
            .hint(HANG_HINT)
            .run(async move { feed(lines, async |rx| save_lines(&p, rx).await).await });
        let count = count.unwrap_or_else(|e| {
            panic!(
                "save_lines() failed with `{e}` writing to a fresh file in a temp dir: create it \
                 with async_fs::File::create(path).await?.{}",
                read("exercise-write_lines")
            )
        });
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        if got.len() < want.len() && want.starts_with(&got) {
            panic!("{}", lost_message("the file", got.len(), want.len()));
        }
        assert!(
            got == want,
            "the file should hold every line followed by \\n, in order ({} bytes); it holds \
             {} bytes that differ from that (first line: {:?}).{}",
            want.len(),
            got.len(),
            got.lines().next(),
            read("exercise-write_lines")
        );
        assert_eq!(
            count,
            n,
            "save_lines() must return how many lines it wrote ({n}), it returned {count}.{}",
            read("exercise-write_lines")
        );
    }

    #[test]
    fn every_line_reaches_the_file() {
        // 2000 lines, about 66 KB: many times the BufWriter's 8 KiB buffer.
        to_file(2000);
    }

    #[test]
    fn a_few_short_lines_are_not_lost() {
        // Far less than one buffer: without a flush nothing at all is written.
        to_file(3);
    }

    /// save_lines() into a named pipe whose reader (a thread) opens it only
    /// once the checked future has let something else run: opening a pipe
    /// for writing waits until a reader comes, so a `std::fs` open on the
    /// executor's thread waits for a reader that waits for it.
    #[cfg(unix)]
    #[test]
    fn file_calls_stay_off_the_executor_thread() {
        let dir = TempDir::new("fifo");
        let path = dir.file("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !made {
            eprintln!("mkfifo is not available here; skipping this check");
            return;
        }
        let lines = lines(50);
        let want = joined(&lines);
        // The executor says "I got to run something else" on this channel.
        let (ran_tx, ran_rx) = std::sync::mpsc::channel::<()>();
        let (data_tx, data_rx) = std::sync::mpsc::channel::<(bool, Vec<u8>)>();
        let reader_path = path.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            // Generous: only a blocked executor thread ever waits this long.
            let blocked = ran_rx.recv_timeout(Duration::from_secs(1)).is_err();
            // Open anyway, so that a blocked open comes back and the check
            // can end with a clear message.
            let mut bytes = Vec::new();
            if let Ok(mut f) = std::fs::File::open(&reader_path) {
                let _ = f.read_to_end(&mut bytes);
            }
            let _ = data_tx.send((blocked, bytes));
        });
        let p = path.clone();
        let res = check("exercise-write_lines")
            .hint(HANG_HINT)
            // A std::fs open blocks a poll on purpose here; the check below
            // names it, so the generic detector stays out of the way.
            .no_poll_budget()
            .run(async move {
                let ran = async move {
                    let _ = ran_tx.send(());
                };
                feed(lines, async |rx| {
                    let (res, ()) = future::zip(save_lines(&p, rx), ran).await;
                    res
                })
                .await
            });
        let (blocked, bytes) = data_rx
            .recv_timeout(PATIENCE)
            .unwrap_or((false, Vec::new()));
        if blocked {
            panic!(
                "save_lines() blocked the executor's thread inside a std::fs call: it opened \
                 a named pipe with std::fs, which waits until a reader comes, and the reader \
                 was waiting for the executor to run anything else. A std::fs call (File::create, \
                 write, fs::write) in async code stops every other task on that thread until \
                 the OS answers; create and write the file with async_fs (its calls run on a \
                 thread pool), or run the std::fs call itself inside blocking::unblock.{}",
                read("common-mistakes")
            );
        }
        let got = String::from_utf8_lossy(&bytes);
        assert!(
            matches!(res, Ok(50)) && got == want,
            "save_lines() into a named pipe should write all 50 lines ({} bytes) and return \
             Ok(50); it returned {res:?} and the reader got {} bytes.{}",
            want.len(),
            got.len(),
            read("exercise-write_lines")
        );
    }

    fn to_test_writer(n: usize) -> (io::Result<usize>, Arc<Mutex<Seen>>, String) {
        let writer = TestWriter::default();
        let seen = writer.0.clone();
        let lines = lines(n);
        let want = joined(&lines);
        let res = check("exercise-write_lines")
            .hint(HANG_HINT)
            .run(async move { feed(lines, async |rx| write_lines(writer, rx).await).await });
        (res, seen, want)
    }

    #[test]
    fn flushes_before_it_returns() {
        let (res, seen, want) = to_test_writer(500);
        let s = seen.lock().unwrap();
        let flushed = String::from_utf8_lossy(&s.flushed);
        if flushed.len() < want.len() && want.starts_with(&*flushed) {
            if !s.pending.is_empty() {
                panic!(
                    "write_lines() returned, but the last {} bytes it wrote were never \
                     flushed: a buffered writer (a BufWriter, or async_fs::File, which hands \
                     the bytes to a background thread) may still hold them, and dropping it \
                     loses them. Call `out.flush().await?` before you return.{}",
                    s.pending.len(),
                    read("exercise-write_lines")
                );
            }
            panic!("{}", lost_message("the writer", flushed.len(), want.len()));
        }
        assert!(
            flushed == want,
            "the writer should get every line followed by \\n, in order ({} bytes); it got \
             {} bytes that differ (first line: {:?}).{}",
            want.len(),
            flushed.len(),
            flushed.lines().next(),
            read("exercise-write_lines")
        );
        assert!(
            matches!(res, Ok(500)),
            "write_lines() should return Ok(500) for 500 lines, it returned {res:?}.{}",
            read("exercise-write_lines")
        );
    }

    #[test]
    fn many_short_lines_become_few_writes() {
        let (res, seen, want) = to_test_writer(1000);
        let s = seen.lock().unwrap();
        let most = want.len() / 4096 + 4;
        assert!(
            s.writes <= most,
            "write_lines() called write {} times on the writer for 1000 short lines ({} \
             bytes). For a file every write is a system call (and async_fs::File sends each \
             one to a background thread). Wrap `out` in a futures_lite::io::BufWriter: it \
             collects small writes into 8 KiB pieces (about {} writes here).{}",
            s.writes,
            want.len(),
            want.len() / 8192 + 1,
            read("exercise-write_lines")
        );
        assert!(res.is_ok(), "write_lines() failed: {res:?}");
    }

    #[test]
    fn an_io_error_is_returned_not_swallowed() {
        let writer = TestWriter::default();
        writer.0.lock().unwrap().fail = true;
        let res = check("exercise-write_lines")
            .hint(HANG_HINT)
            .run(async move { feed(lines(3), async |rx| write_lines(writer, rx).await).await });
        match res {
            Err(e) if e.to_string().contains("disk full") => {}
            Err(e) => panic!(
                "the writer failed with `disk full`, but write_lines() returned a different \
                 error: `{e}`. Pass the writer's error on unchanged with `?`.{}",
                read("exercise-write_lines")
            ),
            Ok(n) => panic!(
                "every write failed (`disk full`), yet write_lines() returned Ok({n}): the \
                 error was swallowed, and the caller thinks the lines are safe. With a \
                 BufWriter the error often shows up only in flush(): write \
                 `out.flush().await?`, not `let _ = out.flush().await` or `.ok()`.{}",
                read("exercise-write_lines")
            ),
        }
    }
}

// ---------------------------------------------------------- count_words

mod count_words {
    use super::*;

    /// A generated input that never exists in memory as a whole: `chunk`
    /// repeated `times` times, handed out a piece per read, with a Pending
    /// every few reads (like a socket or a pipe). With `fail_at`, the reads
    /// fail once that many bytes were handed out.
    struct Generated {
        chunk: &'static [u8],
        left: usize,
        pos: usize,
        given: usize,
        reads: usize,
        fail_at: Option<usize>,
    }

    impl Generated {
        fn new(chunk: &'static str, times: usize) -> Self {
            Generated {
                chunk: chunk.as_bytes(),
                left: chunk.len() * times,
                pos: 0,
                given: 0,
                reads: 0,
                fail_at: None,
            }
        }
    }

    impl AsyncRead for Generated {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            self.reads += 1;
            if self.reads.is_multiple_of(8) {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let left = match self.fail_at {
                Some(at) if self.given >= at => {
                    return Poll::Ready(Err(io::Error::other("the disk went away")));
                }
                Some(at) => self.left.min(at - self.given),
                None => self.left,
            };
            let mut n = 0;
            while n < buf.len() && n < left {
                let from = &self.chunk[self.pos..];
                let k = from.len().min(buf.len() - n).min(left - n);
                buf[n..n + k].copy_from_slice(&from[..k]);
                n += k;
                self.left -= k;
                self.pos = (self.pos + k) % self.chunk.len();
            }
            self.given += n;
            Poll::Ready(Ok(n))
        }
    }

    const HANG_HINT: &str = "count_words() never returned: read until the lines stream \
         ends (None), and never block the thread.";

    fn expected(text: &str) -> Counts {
        Counts {
            lines: text.lines().count(),
            words: text.split_whitespace().count(),
        }
    }

    #[test]
    fn counts_lines_and_words() {
        let cases: [&'static str; 5] = [
            "one two three\n\n  four\tfive  \nsix",
            "",
            "a\n",
            "\n\n\n",
            "last line without a newline",
        ];
        for text in cases {
            let got = check("exercise-count_words")
                .hint(HANG_HINT)
                .run(async move { count_words(text.as_bytes()).await });
            let want = expected(text);
            assert!(
                matches!(&got, Ok(c) if *c == want),
                "for the input {text:?} expected {want:?}, got {got:?}. Count every line the \
                 lines() stream yields (a last line without \\n counts too) and the words of \
                 each line with split_whitespace().{}",
                read("exercise-count_words")
            );
        }
    }

    const TEXT: &str = "It was the best of times,\nit was the worst of times,\n\n\
        \tit was the age of wisdom,   it was the age of foolishness...\n";

    #[test]
    fn counts_a_real_file() {
        let dir = TempDir::new("count");
        let path = dir.file("in.txt");
        let text = TEXT.repeat(300);
        std::fs::write(&path, &text).expect("could not write the input file");
        let got = check("exercise-count_words")
            .hint(HANG_HINT)
            .run(async move {
                let file = async_fs::File::open(&path).await?;
                count_words(file).await
            });
        let want = expected(&text);
        assert!(
            matches!(&got, Ok(c) if *c == want),
            "for a {} byte file opened with async_fs::File::open expected {want:?}, got \
             {got:?}.{}",
            text.len(),
            read("exercise-count_words")
        );
    }

    #[test]
    fn streams_a_big_input_in_little_memory() {
        let times = 8 * 1024 * 1024 / TEXT.len();
        let input_len = TEXT.len() * times;
        let (got, peak) = check("exercise-count_words")
            .hint(HANG_HINT)
            // This check is about memory. Code that reads everything first
            // then counts 8 MB in one poll; let it finish and be told why.
            .no_poll_budget()
            .timeout(Duration::from_secs(15))
            .run(async move {
                let input = Generated::new(TEXT, times);
                let peak = testkit::heap::peak_from_now();
                let got = count_words(input).await;
                (got, peak())
            });
        let one = expected(TEXT);
        let want = Counts {
            lines: one.lines * times,
            words: one.words * times,
        };
        assert!(
            matches!(&got, Ok(c) if *c == want),
            "for an input of {input_len} bytes expected {want:?}, got {got:?}.{}",
            read("exercise-count_words")
        );
        assert!(
            peak < 1024 * 1024,
            "count_words() held {peak} bytes of heap at once while it read an input of \
             {input_len} bytes: it kept (most of) the input in memory, with read_to_string / read_to_end \
             or by collecting the lines. Keep one line at a time: \
             BufReader::new(input).lines(), count each line and let it go. Then memory stays \
             the same for 16 KB or 16 GB.{}",
            read("exercise-count_words")
        );
    }

    /// An input whose bytes come from a channel: they arrive only when the
    /// producer (a future on the same thread) gets to run.
    struct Arriving {
        rx: Pin<Box<async_channel::Receiver<Vec<u8>>>>,
        piece: Vec<u8>,
        at: usize,
    }

    impl AsyncRead for Arriving {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            while self.at == self.piece.len() {
                match futures_lite::ready!(self.rx.as_mut().poll_next(cx)) {
                    Some(piece) => (self.piece, self.at) = (piece, 0),
                    None => return Poll::Ready(Ok(0)),
                }
            }
            let n = buf.len().min(self.piece.len() - self.at);
            buf[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
            self.at += n;
            Poll::Ready(Ok(n))
        }
    }

    #[test]
    fn waits_for_input_that_arrives_later() {
        let got = check("exercise-count_words")
            .hint(
                "count_words() blocked the thread while it waited for more input, so the \
                 producer on the same thread never ran. Stay async: \
                 BufReader::new(input).lines() and `lines.next().await`; no stream::block_on or \
                 future::block_on inside async code, no std::io::BufRead.",
            )
            .run(async {
                let (tx, rx) = async_channel::bounded::<Vec<u8>>(1);
                let producer = async move {
                    for piece in ["two words\nand th", "ree more\n", "\nlast"] {
                        Timer::after(Duration::from_millis(5)).await;
                        let _ = tx.send(piece.as_bytes().to_vec()).await;
                    }
                };
                let input = Arriving {
                    rx: Box::pin(rx),
                    piece: Vec::new(),
                    at: 0,
                };
                let ((), got) = future::zip(producer, count_words(input)).await;
                got
            });
        let want = expected("two words\nand three more\n\nlast");
        assert!(
            matches!(&got, Ok(c) if *c == want),
            "the input \"two words\\nand three more\\n\\nlast\" arrived in three pieces (one \
             split in the middle of a word); expected {want:?}, got {got:?}. Let the \
             BufReader put the lines together: count what lines() yields, not the pieces.{}",
            read("exercise-count_words")
        );
    }

    #[test]
    fn a_read_error_is_returned_not_treated_as_the_end() {
        let got = check("exercise-count_words").hint(HANG_HINT).run(async {
            let mut input = Generated::new(TEXT, 1000);
            // At a line boundary: futures-lite 2.6's lines() trips a
            // debug assertion when a read fails in the middle of a line.
            input.fail_at = Some(TEXT.len() * 100);
            count_words(input).await
        });
        match got {
            Err(e) if e.to_string().contains("the disk went away") => {}
            Err(e) => panic!(
                "the input failed with `the disk went away`, but count_words() returned a \
                 different error: `{e}`. Pass the error on unchanged with `?`.{}",
                read("exercise-count_words")
            ),
            Ok(c) => panic!(
                "the input failed part way (`the disk went away`), yet count_words() returned \
                 Ok({c:?}), as if the input had simply ended. `while let Some(Ok(line)) = \
                 lines.next().await` stops at the first error without a word; take each item \
                 as a Result and write `let line = line?;`.{}",
                read("exercise-count_words")
            ),
        }
    }
}
