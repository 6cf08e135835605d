//! Checks for lesson 11 — CPU-bound work and parallelism. Compiled for both
//! exercises/11-cpu-bound-and-parallelism and solutions/11-cpu-bound-and-parallelism.
//!
//! No check measures elapsed time. Offloading is proven by a ticker task on
//! the executor's thread that must tick *while the work is in progress* (the
//! work itself waits for those ticks) and by the blocking detector;
//! parallelism by a `Gate` that opens only when two chunks are inside `work`
//! at the same moment, on two threads; taking turns by poll counts and by
//! stepping a `LocalExecutor` with `try_tick`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use cpu_bound_and_parallelism::{
    Summed, checksum, checksum_cooperatively, hash_in_background, parallel_sum,
};
use futures_lite::future;
use smol::{LocalExecutor, Timer};
use testkit::Check;
use testkit::probes::{Gate, InFlight, count_polls};

/// How long a probe waits before it decides the code is wrong. Only a wrong
/// solution ever waits this long.
const PATIENCE: Duration = Duration::from_millis(1500);
/// The watchdog for checks where wrong code hangs: above the patience, well
/// below the default.
const WATCHDOG: Duration = Duration::from_secs(4);

fn check(section: &str) -> Check {
    Check::new()
        .timeout(WATCHDOG)
        .section(&format!("11-cpu-bound-and-parallelism.md#{section}"))
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/11-cpu-bound-and-parallelism.md#{section})")
}

/// Some bytes that are not all the same.
fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// A tick counter a thread can wait on: the ticker task bumps it, the work
/// (on whatever thread it runs) waits for it.
#[derive(Clone, Default)]
struct Ticks(Arc<(Mutex<usize>, Condvar)>);

impl Ticks {
    fn tick(&self) {
        let (count, cond) = &*self.0;
        *count.lock().unwrap() += 1;
        cond.notify_all();
    }

    fn get(&self) -> usize {
        *self.0.0.lock().unwrap()
    }

    /// Blocks this thread until the count reaches `n` or `patience` passes;
    /// returns the count it saw last.
    fn wait_for(&self, n: usize, patience: Duration) -> usize {
        let (count, cond) = &*self.0;
        let guard = count.lock().unwrap();
        let (guard, _) = cond
            .wait_timeout_while(guard, patience, |c| *c < n)
            .unwrap();
        *guard
    }
}

/// Where the hash closure ran and how many ticks it saw while it ran.
#[derive(Clone, Debug)]
struct HashRun {
    ticks_during: usize,
    thread: ThreadId,
    thread_name: Option<String>,
}

mod hash_in_background {
    use super::*;

    /// How many ticks the hash waits to see while it is in progress.
    const TICKS: usize = 3;

    #[test]
    fn a_ticker_on_the_same_thread_keeps_ticking_while_the_hash_runs() {
        let ticks = Ticks::default();
        let record: Arc<Mutex<Option<HashRun>>> = Arc::default();
        let (t, r) = (ticks.clone(), record.clone());
        let data = bytes(1000);
        let want = checksum(&data);
        let (out, executor_thread) = check("exercise-hash_in_background")
            .hint(
                "hash_in_background() ran the hash on the executor's own thread (called \
                 inline, or on a thread it joined right away), so the ticker task on that \
                 thread could not tick while the hash waited for it. Hand the work to \
                 blocking's pool: blocking::unblock(move || hash(&data)).await.",
            )
            .run_local(move || async move {
                let ex = LocalExecutor::new();
                let ticker_ticks = t.clone();
                let _ticker = ex.spawn(async move {
                    loop {
                        ticker_ticks.tick();
                        Timer::after(Duration::from_millis(1)).await;
                    }
                });
                // The "heavy work" stays in progress until the ticker has
                // ticked TICKS more times: only possible when the executor's
                // thread is free while it runs.
                let hash = move |data: &[u8]| {
                    let start = t.get();
                    let seen = t.wait_for(start + TICKS, PATIENCE);
                    let me = thread::current();
                    *r.lock().unwrap() = Some(HashRun {
                        ticks_during: seen - start,
                        thread: me.id(),
                        thread_name: me.name().map(str::to_string),
                    });
                    checksum(data)
                };
                let out = ex.run(hash_in_background(data, hash)).await;
                (out, thread::current().id())
            });
        let section = "exercise-hash_in_background";
        assert_eq!(
            out,
            want,
            "hash_in_background() returned {out}, but hash(&data) is {want}. Return what \
             the hash returned. If you started a thread, its result only exists once it \
             is done: await it (unblock(..).await), never read it before.{}",
            read(section)
        );
        let run = record.lock().unwrap().clone().unwrap_or_else(|| {
            panic!(
                "hash_in_background() returned without ever calling `hash`. Call \
                 hash(&data) exactly once, on blocking's pool.{}",
                read(section)
            )
        });
        assert!(
            run.ticks_during >= TICKS,
            "while the hash was in progress the ticker on the executor's thread ticked \
             only {} time(s) (it should tick {TICKS} times). The hash held that thread. \
             Use blocking::unblock(move || hash(&data)).await.{}",
            run.ticks_during,
            read(section)
        );
        assert_ne!(
            run.thread,
            executor_thread,
            "the hash ran on the executor's own thread. Move it to another thread with \
             blocking::unblock.{}",
            read(section)
        );
        if let Some(name) = &run.thread_name {
            assert!(
                !name.starts_with("smol-"),
                "the hash ran on thread `{name}`, one of the threads of smol's global \
                 executor (smol::spawn). Those threads run async tasks: CPU work there \
                 blocks every task that shares the thread, just somewhere else. Use \
                 blocking::unblock, whose pool threads are meant for blocking work.{}",
                read(section)
            );
        }
    }

    #[test]
    fn returns_the_hash_of_the_whole_data() {
        let cases = [bytes(10_000), Vec::new(), vec![42]];
        let want: Vec<u64> = cases.iter().map(|d| checksum(d)).collect();
        let lens: Arc<Mutex<Vec<usize>>> = Arc::default();
        let l = lens.clone();
        let got = check("exercise-hash_in_background").run(async move {
            let mut got = Vec::new();
            for data in cases {
                let l = l.clone();
                got.push(
                    hash_in_background(data, move |d: &[u8]| {
                        l.lock().unwrap().push(d.len());
                        checksum(d)
                    })
                    .await,
                );
            }
            got
        });
        assert_eq!(
            got,
            want,
            "hash_in_background(data, checksum) must return checksum(&data) for 10 000 \
             bytes, 0 bytes and 1 byte. Return what `hash` returned, and only once it \
             is done: await it.{}",
            read("exercise-hash_in_background")
        );
        assert_eq!(
            *lens.lock().unwrap(),
            [10_000, 0, 1],
            "`hash` should be called once per call of hash_in_background(), with all of \
             `data`; it saw these lengths.{}",
            read("exercise-hash_in_background")
        );
    }

    #[test]
    fn a_long_hash_never_blocks_a_poll() {
        // A hash that keeps a CPU busy for 300 ms. Awaited properly it costs
        // the executor's thread a few microseconds per poll.
        let budget = Duration::from_millis(100);
        let out = check("exercise-hash_in_background")
            .poll_budget(budget)
            .hint(
                "hash_in_background() ran a 300 ms computation inside one poll. An async \
                 fn runs on the executor's thread until its next .await that is Pending: \
                 plain CPU work in it is a blocking call. Await blocking::unblock(..) \
                 instead.",
            )
            .run(async {
                hash_in_background(bytes(100), |d: &[u8]| {
                    let start = Instant::now();
                    let mut spins = 0u64;
                    while start.elapsed() < Duration::from_millis(300) {
                        spins = std::hint::black_box(spins.wrapping_add(1));
                    }
                    checksum(d)
                })
                .await
            });
        assert_eq!(
            out,
            checksum(&bytes(100)),
            "hash_in_background() must return what `hash` returned, once it is done.{}",
            read("exercise-hash_in_background")
        );
    }
}

mod parallel_sum {
    use super::*;

    const HINT: &str = "parallel_sum() never returned. Most likely the worker threads are \
        still inside ex.run(..): close the shutdown channel (drop the sender) once every \
        task is done, or thread::scope waits for them forever. Or no thread runs the \
        executor at all, so the tasks are never polled.";

    fn gate_of_two() -> Gate {
        // A broken gate's message reaches the check with the section's
        // `(read: ..)` line appended, so the hint does not repeat it.
        Gate::with(
            2,
            PATIENCE,
            "parallel_sum() worked on the chunks one at a time: two chunks were never \
             inside `work` at the same moment. Tasks on a LocalExecutor, on an Executor \
             run only by the calling thread, or on smol::spawn's single global thread \
             take turns on one thread: that is concurrency, not parallelism. Start \
             `threads` worker threads that each run the same Executor \
             (future::block_on(ex.run(stopped.recv()))).",
        )
    }

    /// What a run of parallel_sum looked like from inside `work`.
    struct Seen {
        summed: Summed,
        /// chunk tag (its first number) -> the thread that ran it
        by_chunk: HashMap<u64, ThreadId>,
        in_flight: InFlight,
    }

    /// Chunk `i` starts with its tag `1000 * (i + 1)`.
    fn chunks(n: usize) -> Vec<Vec<u64>> {
        (0..n as u64)
            .map(|i| vec![1000 * (i + 1), i, 2 * i, 7])
            .collect()
    }

    fn run(chunks: Vec<Vec<u64>>, threads: usize, gate: Option<Gate>) -> Seen {
        let by_chunk: Arc<Mutex<HashMap<u64, ThreadId>>> = Arc::default();
        let in_flight = InFlight::new();
        let (b, f) = (by_chunk.clone(), in_flight.clone());
        let summed = check("exercise-parallel_sum").hint(HINT).run_sync(move || {
            parallel_sum(&chunks, threads, move |chunk: &[u64]| {
                let _in = f.enter();
                b.lock().unwrap().insert(chunk[0], thread::current().id());
                if let Some(gate) = &gate {
                    gate.wait_blocking();
                }
                chunk.iter().sum()
            })
        });
        let by_chunk = by_chunk.lock().unwrap().clone();
        Seen {
            summed,
            by_chunk,
            in_flight,
        }
    }

    fn assert_total(seen: &Seen, chunks: &[Vec<u64>]) {
        let want: u64 = chunks.iter().flatten().sum();
        assert_eq!(
            seen.summed.total,
            want,
            "the total must be the sum of work(chunk) over all {} chunks: {want}, but \
             parallel_sum() returned {}. A result read before its task or thread is done \
             is lost: add up the values that the awaited tasks hand back, after each one \
             has finished.{}",
            chunks.len(),
            seen.summed.total,
            read("exercise-parallel_sum")
        );
    }

    #[test]
    fn two_chunks_run_at_the_same_moment_on_two_threads() {
        let input = chunks(2);
        let seen = run(input.clone(), 2, Some(gate_of_two()));
        let section = "exercise-parallel_sum";
        assert_total(&seen, &input);
        assert_eq!(
            seen.summed.ran_on.len(),
            2,
            "ran_on must hold one thread id per chunk.{}",
            read(section)
        );
        assert_ne!(
            seen.summed.ran_on[0],
            seen.summed.ran_on[1],
            "both chunks were reported on the same thread, but they ran at the same \
             moment, so on two threads. Record thread::current().id() inside the task, \
             right where work(chunk) runs.{}",
            read(section)
        );
    }

    #[test]
    fn reports_the_total_and_the_thread_of_every_chunk() {
        let input = chunks(8);
        let seen = run(input.clone(), 2, Some(gate_of_two()));
        let section = "exercise-parallel_sum";
        assert_eq!(
            (seen.in_flight.total(), seen.in_flight.current()),
            (8, 0),
            "when parallel_sum() returned, `work` had started on {} of the 8 chunks and \
             {} were still running. Return only when every chunk is done: await every \
             task, and never leave a thread running that you did not join (thread::scope \
             joins them for you).{}",
            seen.in_flight.total(),
            seen.in_flight.current(),
            read(section)
        );
        assert_total(&seen, &input);
        assert_eq!(
            seen.summed.ran_on.len(),
            8,
            "ran_on must hold one thread id per chunk, in chunk order.{}",
            read(section)
        );
        for (i, chunk) in input.iter().enumerate() {
            assert_eq!(
                Some(&seen.summed.ran_on[i]),
                seen.by_chunk.get(&chunk[0]),
                "ran_on[{i}] does not name the thread that ran work(&chunks[{i}]). Record \
                 thread::current().id() inside the task, next to work(chunk), and keep \
                 the results in chunk order (await the tasks in the order you spawned \
                 them).{}",
                read(section)
            );
        }
        let distinct: HashSet<_> = seen.summed.ran_on.iter().collect();
        assert!(
            distinct.len() <= 2,
            "the 8 chunks ran on {} different threads, but parallel_sum() was given 2. \
             Start exactly `threads` worker threads that share one Executor and let them \
             pick up the tasks; do not start a thread per chunk.{}",
            distinct.len(),
            read(section)
        );
    }

    #[test]
    fn a_free_worker_takes_the_next_chunk() {
        // Chunk 0 is slow: its work waits until the other five chunks are
        // done. With tasks on one Executor that both workers run, the free
        // worker picks up every other chunk (it even steals the tasks the
        // busy one had queued). Chunks dealt out to threads in advance (a
        // share of the slice per plain thread) wait behind the slow one.
        const OTHERS: usize = 5;
        let section = "exercise-parallel_sum";
        let done = Arc::new((Mutex::new(0usize), Condvar::new()));
        let waited_in_vain = Arc::new(Mutex::new(None::<usize>));
        let (d, w) = (done.clone(), waited_in_vain.clone());
        let input = chunks(OTHERS + 1);
        let summed = check(section).hint(HINT).run_sync(move || {
            parallel_sum(&input, 2, move |chunk: &[u64]| {
                let (count, changed) = &*d;
                if chunk[0] == 1000 {
                    let deadline = Instant::now() + Duration::from_millis(1500);
                    let mut n = count.lock().unwrap();
                    while *n < OTHERS {
                        let left = deadline.saturating_duration_since(Instant::now());
                        if left.is_zero() {
                            *w.lock().unwrap() = Some(*n);
                            break;
                        }
                        n = changed.wait_timeout(n, left).unwrap().0;
                    }
                } else {
                    *count.lock().unwrap() += 1;
                    changed.notify_all();
                }
                chunk.iter().sum()
            })
        });
        if let Some(n) = *waited_in_vain.lock().unwrap() {
            panic!(
                "one chunk was slow (it waited for the other {OTHERS} to finish), and with \
                 2 workers only {n} of the other {OTHERS} chunks got done meanwhile: the \
                 rest waited behind the slow one. The chunks were dealt out to the threads \
                 in advance (plain threads, each with a fixed share), not run as tasks of \
                 one Executor that every worker runs: a free worker picks up whatever task \
                 is next, so a slow chunk never holds up the others. Spawn every chunk on \
                 the Executor and let `threads` workers run it \
                 (future::block_on(ex.run(stopped.recv()))).{}",
                read(section)
            );
        }
        let want: u64 = chunks(OTHERS + 1).iter().flatten().sum();
        assert_eq!(summed.total, want, "the total of all chunks");
    }

    #[test]
    fn one_thread_means_one_chunk_at_a_time() {
        let input = chunks(4);
        let seen = run(input.clone(), 1, None);
        let section = "exercise-parallel_sum";
        assert_total(&seen, &input);
        let distinct: HashSet<_> = seen.summed.ran_on.iter().collect();
        assert_eq!(
            distinct.len(),
            1,
            "with threads = 1 every chunk must run on the one worker thread, but they \
             ran on {} threads. Start exactly `threads` workers.{}",
            distinct.len(),
            read(section)
        );
        assert_eq!(
            seen.in_flight.max(),
            1,
            "with threads = 1 at most one chunk may be in progress at a time, but {} \
             were. Start exactly `threads` workers.{}",
            seen.in_flight.max(),
            read(section)
        );
    }

    #[test]
    fn no_chunks_is_a_zero_total_and_returns() {
        let seen = run(Vec::new(), 2, None);
        assert_eq!(
            seen.summed,
            Summed {
                total: 0,
                ran_on: Vec::new()
            },
            "no chunks: the total is 0 and ran_on is empty.{}",
            read("exercise-parallel_sum")
        );
    }
}

mod checksum_cooperatively {
    use super::*;

    const SECTION: &str = "exercise-checksum_cooperatively";

    #[test]
    fn gives_the_same_value_as_checksum() {
        let cases = [(1000, 64), (1000, 1000), (10, 100), (0, 8), (999, 1)];
        let (got, want) = check(SECTION).run(async move {
            let mut got = Vec::new();
            let mut want = Vec::new();
            for (len, slice) in cases {
                let data = bytes(len);
                got.push(checksum_cooperatively(&data, slice).await);
                want.push(checksum(&data));
            }
            (got, want)
        });
        for (i, (len, slice)) in cases.iter().enumerate() {
            assert_eq!(
                got[i],
                want[i],
                "for {len} bytes in slices of {slice}, checksum_cooperatively() returned \
                 {}, but checksum() of the same bytes is {}. Feed every slice, in order, \
                 into ONE Checksum with update(), and finish() it at the end; a fresh \
                 Checksum per slice is a different hash.{}",
                got[i],
                want[i],
                read(SECTION)
            );
        }
    }

    fn polls_for(len: usize, slice: usize) -> usize {
        check(SECTION).run(async move {
            let data = bytes(len);
            let (fut, polls) = count_polls(checksum_cooperatively(&data, slice));
            let value = fut.await;
            assert_eq!(
                value,
                checksum(&data),
                "checksum_cooperatively() must return the same value as checksum(data). \
                 Feed every slice, in order, into ONE Checksum and finish() it at the end."
            );
            polls.get()
        })
    }

    fn assert_polls(len: usize, slice: usize) {
        let slices = len.div_ceil(slice);
        let polls = polls_for(len, slice);
        assert!(
            polls > 1,
            "checksum_cooperatively() over {len} bytes was polled once: it computed the \
             whole checksum without ever giving the thread back, so no other task could \
             run meanwhile. Await future::yield_now() after every slice of `slice` \
             bytes.{}",
            read(SECTION)
        );
        assert!(
            polls >= slices,
            "checksum_cooperatively() over {len} bytes in slices of {slice} ({slices} \
             slices) was polled only {polls} times: it yields less often than once per \
             slice, so it holds the thread for too long at a time. (blocking::unblock \
             does not belong here either: this work stays on the executor's thread.) \
             Await future::yield_now() after each slice.{}",
            read(SECTION)
        );
        assert!(
            polls <= slices + 1,
            "checksum_cooperatively() over {len} bytes in slices of {slice} ({slices} \
             slices) was polled {polls} times: it yields more often than once per slice \
             (after every byte?). Each yield is a trip through the executor's queue; \
             yield once per slice of `slice` bytes.{}",
            read(SECTION)
        );
    }

    #[test]
    fn yields_once_per_slice() {
        assert_polls(1000, 100);
    }

    #[test]
    fn yields_once_per_slice_when_the_last_slice_is_short() {
        assert_polls(1050, 100);
    }

    #[test]
    fn another_task_runs_between_the_slices() {
        let (ticks_during, slices) = check(SECTION)
            .hint(
                "checksum_cooperatively() never finished while the executor was stepped \
                 with try_tick: does it block the thread, or wait for a Timer?",
            )
            .run_sync(|| {
                let data = bytes(1000);
                let ticks = std::cell::Cell::new(0usize);
                let ex = LocalExecutor::new();
                // Spawned first, so the job gets the first turn.
                let job = ex.spawn(checksum_cooperatively(&data, 100));
                let ticker = ex.spawn(async {
                    loop {
                        ticks.set(ticks.get() + 1);
                        future::yield_now().await;
                    }
                });
                let mut turns = 0;
                while !job.is_finished() {
                    turns += 1;
                    if !ex.try_tick() || turns > 10_000 {
                        panic!(
                            "checksum_cooperatively() over 1000 bytes was still not done \
                             after {turns} turns of the executor: between slices it waits \
                             for something (a Timer? another thread?) instead of just \
                             letting the others have a turn. future::yield_now() wakes \
                             its own task at once; use that between slices.{}",
                            read(SECTION)
                        );
                    }
                }
                let during = ticks.get();
                drop(ticker);
                // A finished task hands back its output, or its panic.
                assert_eq!(
                    future::block_on(job),
                    checksum(&data),
                    "checksum_cooperatively() must return the same value as \
                     checksum(data). Feed every slice, in order, into ONE Checksum and \
                     finish() it at the end."
                );
                (during, 1000 / 100)
            });
        assert!(
            ticks_during >= slices - 1,
            "another task on the same thread ran only {ticks_during} time(s) while \
             checksum_cooperatively() worked through {slices} slices; it should get a \
             turn between every two slices. Await future::yield_now() after each \
             slice.{}",
            read(SECTION)
        );
    }
}
