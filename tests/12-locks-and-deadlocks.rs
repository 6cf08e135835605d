//! Checks for lesson 12 — locks and deadlocks. Compiled for both
//! exercises/12-locks-and-deadlocks and solutions/12-locks-and-deadlocks.
//!
//! No check measures elapsed time. Deadlocks are found by driving a
//! `LocalExecutor` one turn at a time with `try_tick`: when nothing is left
//! to run but some tasks have not finished, they are waiting for each other,
//! and the check says who holds what. A *std* lock that blocks the whole
//! thread cannot be seen from inside, so there the watchdog (a short one,
//! with a hint) turns the hang into a message. Concurrency is proven with
//! gates (N readers inside at once), exclusivity with in-flight counters.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Mutex;
use std::time::Duration;

use async_channel::{Receiver, bounded};
use futures_lite::{FutureExt, future};
use locks_and_deadlocks::{Account, Cache, TransferError, exchange, transfer, visit};
use smol::{LocalExecutor, Task, Timer};
use testkit::Check;
use testkit::probes::{Gate, InFlight};

/// How long a gate waits for the rest of its group before it decides the
/// code lets only one in at a time. Only a wrong solution ever waits this
/// long.
const PATIENCE: Duration = Duration::from_secs(2);
/// The watchdog for checks where wrong code hangs: well below the default.
const WATCHDOG: Duration = Duration::from_secs(4);
/// When nothing is left to run on the executor, how long `drive` waits for
/// a wake from outside (a timer, another thread) before it calls the tasks
/// stuck. Correct solutions never wait here.
const IDLE: Duration = Duration::from_millis(500);
/// More turns than any correct solution needs: a livelock guard.
const MAX_TURNS: usize = 100_000;

fn check(section: &str) -> Check {
    Check::new()
        .timeout(WATCHDOG)
        .section(&format!("12-locks-and-deadlocks.md#{section}"))
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/12-locks-and-deadlocks.md#{section})")
}

/// Drives `ex` one turn (`try_tick`) at a time until every task has
/// finished or nothing can run any more. Returns each task's output, or
/// `None` for a task that never finished, and re-raises the panic of a task
/// that panicked (a `todo!()`, say).
fn drive<T>(ex: &LocalExecutor<'_>, tasks: Vec<Task<T>>) -> Vec<Option<T>> {
    let mut tasks: Vec<Option<Task<T>>> = tasks.into_iter().map(Some).collect();
    let mut outs: Vec<Option<T>> = tasks.iter().map(|_| None).collect();
    let mut turns = 0;
    while turns < MAX_TURNS {
        collect_finished(&mut tasks, &mut outs);
        if tasks.iter().all(Option::is_none) {
            break;
        }
        if !ex.try_tick() {
            // Nothing to run on this thread. Only a wake from elsewhere (a
            // timer, a task on another thread) could help now.
            let woke = smol::block_on(future::or(
                async {
                    ex.tick().await;
                    true
                },
                async {
                    Timer::after(IDLE).await;
                    false
                },
            ));
            if !woke {
                break;
            }
        }
        turns += 1;
    }
    collect_finished(&mut tasks, &mut outs);
    outs
}

/// Takes the output of every task that has finished, or re-raises its panic
/// (at once, not after the other tasks give up).
fn collect_finished<T>(tasks: &mut [Option<Task<T>>], outs: &mut [Option<T>]) {
    for (task, out) in tasks.iter_mut().zip(outs.iter_mut()) {
        if task.as_ref().is_some_and(|t| t.is_finished()) {
            *out = task.take().map(future::block_on);
        }
    }
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

// ===================================================================== visit

mod visit {
    use super::*;

    const SECTION: &str = "exercise-visit";

    /// A held std guard blocks the thread inside lock(), where only the
    /// watchdog can see it: a short one, since correct code takes
    /// microseconds here.
    fn check(section: &str) -> Check {
        super::check(section).timeout(Duration::from_millis(2500))
    }

    const HELD_GUARD: &str = "visit() still held the std MutexGuard when it awaited log(n). \
        The next visit on the same thread then blocked inside Mutex::lock(), waiting for a \
        guard that only the paused task can drop, and that task can never run again: the \
        thread is stuck in lock(), a deadlock. End the guard's scope before the .await \
        (`let n = { let mut counts = counts.lock().unwrap(); ...; n };`), then \
        `log(n).await`. clippy's await_holding_lock lint warns about exactly this.";

    #[test]
    fn counts_every_visit_per_page() {
        let (returned, home, about) = check(SECTION)
            .hint(
                "visit() never returned, although log(n) finishes at once. Did it ask for \
                 the std Mutex a second time while its first guard was still alive? A std \
                 Mutex is not re-entrant: lock it once, in one block.",
            )
            .run_local(|| async {
                let counts = Mutex::new(HashMap::new());
                let mut returned = Vec::new();
                for page in ["home", "home", "about", "home"] {
                    returned.push(visit(&counts, page, |_n| async {}).await);
                }
                let counts = counts.into_inner().unwrap();
                (
                    returned,
                    counts.get("home").copied(),
                    counts.get("about").copied(),
                )
            });
        assert_eq!(
            returned,
            [1, 2, 1, 3],
            "visiting home, home, about, home one after another should return each page's \
             new count: 1, 2, 1, 3. Add one to the page's entry (starting from 0) and return \
             the value it has right after your increment.{}",
            read(SECTION)
        );
        assert_eq!(
            (home, about),
            (Some(3), Some(1)),
            "after 3 visits of home and 1 of about, `counts` should map home to 3 and about \
             to 1. Store the new count in the map (counts.entry(page.to_string()) \
             .or_insert(0)).{}",
            read(SECTION)
        );
    }

    #[test]
    fn each_visit_logs_and_returns_its_own_count() {
        // Four visits of one page at the same time, on one thread. Each log
        // write takes a turn (it yields) before it records the number.
        let (returned, logged) = check(SECTION).hint(HELD_GUARD).run_sync(|| {
            let counts = Mutex::new(HashMap::new());
            let logged = RefCell::new(Vec::new());
            let ex = LocalExecutor::new();
            let tasks = (0..4)
                .map(|i| {
                    let (counts, logged) = (&counts, &logged);
                    ex.spawn(async move {
                        visit(counts, "home", |n| async move {
                            future::yield_now().await;
                            logged.borrow_mut().push((i, n));
                        })
                        .await
                    })
                })
                .collect();
            let returned = drive(&ex, tasks);
            drop(ex);
            let mut logged = logged.into_inner();
            logged.sort();
            (returned, logged)
        });
        assert!(
            returned.iter().all(Option::is_some),
            "some of four visits on one thread never finished (nothing was left to run). \
             visit() should only wait for log(n).{}",
            read(SECTION)
        );
        let returned: Vec<u64> = returned.into_iter().flatten().collect();
        let mut sorted = returned.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [1, 2, 3, 4],
            "four visits of one page at the same time must get the counts 1, 2, 3 and 4, \
             one each, but they returned {returned:?}. Read the new count while you hold the \
             lock, right after your own increment: locking again after the .await reads a \
             count that later visits have already changed.{}",
            read(SECTION)
        );
        assert_eq!(
            logged.len(),
            4,
            "four visits wrote {} log lines ({logged:?}): await log(n) exactly once per \
             visit. A future that is never awaited does nothing.{}",
            logged.len(),
            read(SECTION)
        );
        let want: Vec<(usize, u64)> = returned.iter().copied().enumerate().collect();
        assert_eq!(
            logged,
            want,
            "each visit must pass log() the same number it returns (visit i, count n): \
             returned {want:?}, logged {logged:?}.{}",
            read(SECTION)
        );
    }

    #[test]
    fn lets_go_of_the_lock_before_awaiting_the_log() {
        // Three visits whose log writes wait for each other at a gate: all
        // three logs can only be in progress at once if no visit holds the
        // lock while it waits for its log.
        let gate = Gate::with(
            3,
            Duration::from_secs(1),
            "the three log writes never ran at the same time. visit() must let go of the \
             lock before it awaits log(n), so that other visits can count while it writes.",
        );
        let probe = gate.clone();
        let (returned, home) = check(SECTION)
            .hint(HELD_GUARD)
            .run_local(move || async move {
                let counts = Mutex::new(HashMap::new());
                let ex = LocalExecutor::new();
                let tasks: Vec<_> = (0..3)
                    .map(|_| {
                        let (counts, gate) = (&counts, gate.clone());
                        ex.spawn(async move {
                            visit(counts, "home", |_n| async move { gate.wait().await }).await
                        })
                    })
                    .collect();
                let returned = ex
                    .run(async {
                        let mut out = Vec::new();
                        for task in tasks {
                            out.push(task.await);
                        }
                        out
                    })
                    .await;
                drop(ex);
                (returned, counts.into_inner().unwrap().get("home").copied())
            });
        assert_eq!(
            probe.arrived(),
            3,
            "three visits returned, but only {} of their log writes ever started: visit() \
             must await log(n) before it returns.{}",
            probe.arrived(),
            read(SECTION)
        );
        let mut sorted = returned.clone();
        sorted.sort();
        assert_eq!(
            (sorted, home),
            (vec![1, 2, 3], Some(3)),
            "three visits of home should return 1, 2 and 3 and leave home at 3; they \
             returned {returned:?}.{}",
            read(SECTION)
        );
    }
}

// ================================================================== transfer

mod transfer {
    use super::*;

    const SECTION: &str = "exercise-transfer";

    const TRANSFER_BLOCKED: &str = "a transfer blocked the whole thread. A blocking lock \
        (lock_blocking(), a std Mutex) waits without letting the other tasks run, so the task \
        that holds the lock never gets to release it. Take the locks with \
        Account::lock(..).await.";

    /// Why tasks that never finished are stuck, for a transfer check.
    fn deadlock(stuck: &[String], context: &str) -> String {
        format!(
            "deadlock: nothing could run any more, but these never finished: {}.\n  \
             Each of them holds one account's lock and waits for another's, which the next \
             one holds while it waits too: a cycle. Account::lock lets the other tasks run \
             right after it takes a lock, so a transfer that locks in argument order (from, \
             then to) holds `from` while transfer(to, from) holds `to`. \
             future::zip(from.lock(), to.lock()) is no better: it takes whichever lock it \
             can get first.\n  Fix: one global order for all locks. Lock the account with \
             the lower id first, whichever way the money moves, and only then ask for the \
             other.{context}{}",
            stuck.join(", "),
            read(SECTION)
        )
    }

    /// Runs every `(from, to, amount)` transfer as its own task on one
    /// LocalExecutor, started in this order, and returns their results and
    /// the final balances. Fails with a deadlock message when they get stuck.
    fn run_transfers(
        balances: &'static [(u32, u64)],
        transfers: &'static [(u32, u32, u64)],
    ) -> (Vec<Result<(), TransferError>>, Vec<u64>) {
        check(SECTION).hint(TRANSFER_BLOCKED).run_sync(move || {
            let accounts: Vec<Account> = balances
                .iter()
                .map(|&(id, balance)| Account::new(id, balance))
                .collect();
            let find = |id: u32| accounts.iter().find(|a| a.id() == id).unwrap();
            let ex = LocalExecutor::new();
            let tasks = transfers
                .iter()
                .map(|&(from, to, amount)| ex.spawn(transfer(find(from), find(to), amount)))
                .collect();
            let results = drive(&ex, tasks);
            drop(ex);
            let stuck: Vec<String> = transfers
                .iter()
                .zip(&results)
                .filter(|(_, r)| r.is_none())
                .map(|((f, t, a), _)| format!("transfer(#{f} -> #{t}, {a})"))
                .collect();
            if !stuck.is_empty() {
                panic!("{}", deadlock(&stuck, ""));
            }
            let finals = accounts
                .iter()
                .map(|a| future::block_on(a.balance()))
                .collect();
            (results.into_iter().flatten().collect(), finals)
        })
    }

    #[test]
    fn moves_money_between_two_accounts() {
        let (results, finals) = run_transfers(&[(1, 100), (2, 0)], &[(1, 2, 30)]);
        assert_eq!(
            results,
            [Ok(())],
            "moving 30 out of an account that holds 100 must succeed.{}",
            read(SECTION)
        );
        assert_eq!(
            finals,
            [70, 30],
            "after transfer(#1 -> #2, 30) from balances 100 and 0, the balances should be \
             70 and 30, but they are {finals:?}. Subtract from `from`, add to `to`, both \
             through the guards you hold.{}",
            read(SECTION)
        );
    }

    #[test]
    fn refuses_an_overdraft_and_changes_nothing() {
        let (results, finals) = run_transfers(&[(1, 100), (2, 5)], &[(1, 2, 150), (1, 2, 40)]);
        assert_eq!(
            results,
            [
                Err(TransferError::Insufficient {
                    balance: 100,
                    amount: 150
                }),
                Ok(())
            ],
            "transfer(#1 -> #2, 150) from a balance of 100 must return \
             Err(Insufficient {{ balance: 100, amount: 150 }}), and the next transfer must \
             still work (the refused one must not leave a lock behind).{}",
            read(SECTION)
        );
        assert_eq!(
            finals,
            [60, 45],
            "a refused transfer must change nothing: from 100 and 5, after a refused 150 and \
             a successful 40 the balances should be 60 and 45, but they are {finals:?}. \
             Check the balance before you move anything.{}",
            read(SECTION)
        );
    }

    #[test]
    fn the_whole_balance_can_be_moved() {
        let (results, finals) = run_transfers(&[(1, 100), (2, 5)], &[(1, 2, 100), (1, 2, 1)]);
        assert_eq!(
            results,
            [
                Ok(()),
                Err(TransferError::Insufficient {
                    balance: 0,
                    amount: 1
                })
            ],
            "transfer(#1 -> #2, 100) from a balance of exactly 100 must succeed (an account \
             may be emptied: only amount > balance is Insufficient, an off-by-one at the \
             limit), and then moving 1 more from the empty account must be refused; got \
             {results:?}.{}",
            read(SECTION)
        );
        assert_eq!(
            finals,
            [0, 105],
            "after moving the whole 100 from #1 to #2 (which held 5) the balances should be \
             0 and 105, but they are {finals:?}.{}",
            read(SECTION)
        );
    }

    #[test]
    fn a_transfer_to_the_same_account_is_refused() {
        let (result, balance) = check(SECTION).hint(TRANSFER_BLOCKED).run_sync(|| {
            let a = Account::new(1, 100);
            let ex = LocalExecutor::new();
            let task = ex.spawn(transfer(&a, &a, 10));
            let result = drive(&ex, vec![task]).pop().flatten();
            drop(ex);
            let Some(result) = result else {
                panic!(
                    "transfer(a, a, 10) never finished: it locked account a and then \
                         waited for a's lock again, which it holds itself. \
                         async_lock::Mutex is not re-entrant: a task that asks for a lock it \
                         already holds waits forever. Check `from.id() == to.id()` first and \
                         return Err(TransferError::SameAccount).{}",
                    read(SECTION)
                )
            };
            (result, future::block_on(a.balance()))
        });
        assert_eq!(
            (result, balance),
            (Err(TransferError::SameAccount), 100),
            "transfer(a, a, 10) must return Err(TransferError::SameAccount) and leave the \
             balance at 100.{}",
            read(SECTION)
        );
    }

    #[test]
    fn opposite_transfers_at_the_same_time_both_complete() {
        let (results, finals) = run_transfers(&[(1, 100), (2, 100)], &[(1, 2, 30), (2, 1, 20)]);
        assert_eq!(
            results,
            [Ok(()), Ok(())],
            "both transfers must succeed.{}",
            read(SECTION)
        );
        assert_eq!(
            finals,
            [90, 110],
            "after #1 -> #2 (30) and #2 -> #1 (20) from 100 each, the balances should be \
             90 and 110, but they are {finals:?}.{}",
            read(SECTION)
        );
        // The same pair, started the other way round.
        let (_, finals) = run_transfers(&[(1, 100), (2, 100)], &[(2, 1, 20), (1, 2, 30)]);
        assert_eq!(
            finals,
            [90, 110],
            "balances wrong: {finals:?}.{}",
            read(SECTION)
        );
    }

    #[test]
    fn a_ring_of_transfers_completes() {
        // #1 -> #2, #2 -> #3, #3 -> #1: in argument order every task holds
        // one lock that the next one wants. Ids deliberately not in the
        // order the accounts were created.
        let (results, finals) = run_transfers(
            &[(30, 100), (10, 100), (20, 100)],
            &[(10, 20, 1), (20, 30, 2), (30, 10, 3)],
        );
        assert!(
            results.iter().all(Result::is_ok),
            "all three transfers must succeed: {results:?}.{}",
            read(SECTION)
        );
        assert_eq!(
            finals,
            [99, 102, 99],
            "after #10 -> #20 (1), #20 -> #30 (2), #30 -> #10 (3) from 100 each, the balances \
             of #30, #10 and #20 should be 99, 102, 99, but they are {finals:?}.{}",
            read(SECTION)
        );
    }

    /// An auditor: locks both accounts in the global order (lower id first)
    /// and adds them up.
    async fn audit(low: &Account, high: &Account) -> u64 {
        let low = low.lock().await;
        let high = high.lock().await;
        *low + *high
    }

    /// Every distinct order to start two transfers (0 and 1) and two
    /// auditors (2) in: 12 of them.
    fn orders() -> Vec<Vec<usize>> {
        let mut all: Vec<Vec<usize>> = Vec::new();
        for first in 0..4 {
            for second in 0..4 {
                if first == second {
                    continue;
                }
                let mut order = vec![2; 4];
                order[first] = 0;
                order[second] = 1;
                all.push(order);
            }
        }
        all
    }

    #[test]
    fn nobody_ever_sees_money_missing() {
        // Accounts #1 and #2 hold 100 each. Two opposite transfers and two
        // auditors run together, started in each of the 12 possible orders.
        // An auditor locks both accounts (lower id first) and adds up: it
        // must always find 200.
        let bad = check(SECTION).hint(TRANSFER_BLOCKED).run_sync(|| {
            let mut bad = Vec::new();
            for order in orders() {
                let a = Account::new(1, 100);
                let b = Account::new(2, 100);
                let ex = LocalExecutor::new();
                let names = [
                    "transfer(#2 -> #1, 50)",
                    "transfer(#1 -> #2, 30)",
                    "auditor",
                    "auditor",
                ];
                let tasks = order
                    .iter()
                    .map(|&job| {
                        let (a, b) = (&a, &b);
                        let fut =
                            match job {
                                0 => async move { transfer(b, a, 50).await.map(|()| None) }
                                    .boxed_local(),
                                1 => async move { transfer(a, b, 30).await.map(|()| None) }
                                    .boxed_local(),
                                _ => async move { Ok(Some(audit(a, b).await)) }.boxed_local(),
                            };
                        ex.spawn(fut)
                    })
                    .collect();
                let outs = drive(&ex, tasks);
                drop(ex);
                let stuck: Vec<String> = order
                    .iter()
                    .zip(&outs)
                    .filter(|(_, o)| o.is_none())
                    .map(|(&job, _)| names[job].to_string())
                    .collect();
                if !stuck.is_empty() {
                    let started: Vec<&str> = order.iter().map(|&j| names[j]).collect();
                    let context = format!(
                        "\n  (An auditor locks #1, then #2. The tasks were started in \
                             this order: {started:?}.)"
                    );
                    panic!("{}", deadlock(&stuck, &context));
                }
                for (out, &job) in outs.into_iter().flatten().zip(&order) {
                    match out {
                        Ok(Some(total)) if total != 200 => {
                            let started: Vec<&str> = order.iter().map(|&j| names[j]).collect();
                            bad.push(format!("found {total} when started as {started:?}"));
                            break; // one report per start order is enough
                        }
                        Err(e) => panic!(
                            "{} failed with {e:?}, but the account had enough money.{}",
                            names[job],
                            read(SECTION)
                        ),
                        _ => {}
                    }
                }
            }
            bad
        });
        assert!(
            bad.is_empty(),
            "an auditor that locked both accounts (lower id first) and added them up should \
             always find 200, but in {} of the 12 start orders it did not: it {}. Money was \
             missing while it moved: transfer() let go \
             of one account before it held the other (lock `from`, subtract, unlock, then \
             lock `to`). That avoids the deadlock but is not atomic. Hold both guards from \
             the balance check until the money has arrived, and avoid the deadlock with the \
             global lock order instead.{}",
            bad.len(),
            bad[0],
            read(SECTION)
        );
    }
}

// ================================================================== exchange

mod exchange {
    use super::*;

    const SECTION: &str = "exercise-exchange";

    const EXCHANGE_BLOCKED: &str = "exchange() blocked the whole thread. A blocking call \
        (send_blocking, recv_blocking, future::block_on inside async code) stops the other \
        side, which runs on the same thread, from ever making room or sending. Use \
        send().await and recv().await.";

    /// "holds 1 of 1 messages and is still open", for one channel.
    fn describe(probe: &Receiver<u32>) -> String {
        format!(
            "holds {} of {} messages and is {}",
            probe.len(),
            probe.capacity().unwrap_or(0),
            if probe.is_closed() {
                "closed"
            } else {
                "still open"
            }
        )
    }

    /// What went wrong when the two sides of an exchange got stuck.
    /// `to_peer`/`from_peer` are spare receivers of the two channels, kept
    /// only to look at them.
    fn stuck(to_peer: &Receiver<u32>, from_peer: &Receiver<u32>) -> String {
        let why = if to_peer.is_full() && from_peer.is_full() {
            "Both channels are full and both sides wait in send() for the other to make \
             room, but neither receives while it waits: a cycle of full channels, a \
             deadlock. Your side must keep receiving while its send() waits: run a sending \
             loop and a receiving loop together with future::zip (sending everything \
             first, or strictly one send then one recv, both jam)."
        } else if to_peer.is_full() {
            "Your side waits in send() on the full channel to the peer, and the peer is \
             not receiving yet (it is sending, or waiting for your side). Keep receiving \
             while you send: future::zip(a sending loop, a receiving loop)."
        } else if to_peer.is_empty() && !to_peer.is_closed() {
            "Your channel to the peer is empty but still open, so the peer's recv() keeps \
             waiting for more. Either your side has not sent its items yet (it waits to \
             receive everything before it sends: do both at the same time instead), or it \
             has sent them all but never closed tx: drop tx as soon as the last item is \
             sent (move it into the sending loop with `async move`), so that the peer's \
             recv() returns Err."
        } else {
            "Your side must receive until the peer closes its channel (recv() returns \
             Err) while it sends, and close tx when it is done sending."
        };
        format!(
            "the exchange never finished: nothing could run any more. The channel to the \
             peer {}; the channel from the peer {}.\n  {why}{}",
            describe(to_peer),
            describe(from_peer),
            read(SECTION)
        )
    }

    const LOST: &str = " Every message must arrive exactly once, in order. try_send() \
        fails with Full when the channel has no room, and a message you do not keep then is \
        lost; send().await waits for room instead.";

    /// A peer that sends everything first, closes its side, and only then
    /// receives until the other side closes. The other side must cope.
    async fn greedy_peer(
        outgoing: Vec<u32>,
        tx: async_channel::Sender<u32>,
        rx: Receiver<u32>,
    ) -> Vec<u32> {
        for item in outgoing {
            if tx.send(item).await.is_err() {
                break;
            }
        }
        drop(tx);
        let mut got = Vec::new();
        while let Ok(item) = rx.recv().await {
            got.push(item);
        }
        got
    }

    #[test]
    fn two_sides_swap_everything_through_full_channels() {
        let (a_got, b_got) = check(SECTION).hint(EXCHANGE_BLOCKED).run_sync(|| {
            let (ab_tx, ab_rx) = bounded(1);
            let (ba_tx, ba_rx) = bounded(1);
            let (ab_probe, ba_probe) = (ab_rx.clone(), ba_rx.clone());
            let ex = LocalExecutor::new();
            let a = ex.spawn(exchange((1..=5).collect(), ab_tx, ba_rx));
            let b = ex.spawn(exchange((101..=105).collect(), ba_tx, ab_rx));
            let mut outs = drive(&ex, vec![a, b]);
            let (b_got, a_got) = (outs.pop().flatten(), outs.pop().flatten());
            match (a_got, b_got) {
                (Some(a), Some(b)) => (a, b),
                _ => panic!(
                    "two copies of exchange(), each sending 5 numbers over a channel \
                         of capacity 1: {}",
                    stuck(&ab_probe, &ba_probe)
                ),
            }
        });
        assert_eq!(
            (&a_got, &b_got),
            (&(101..=105).collect(), &(1..=5).collect()),
            "each side should receive exactly what the other sent, in order: A sent 1..=5 \
             and B sent 101..=105, but A received {a_got:?} and B received {b_got:?}.{}{}",
            LOST,
            read(SECTION)
        );
    }

    #[test]
    fn keeps_receiving_while_a_greedy_peer_sends_everything_first() {
        let (mine, peer_got) = check(SECTION).hint(EXCHANGE_BLOCKED).run_sync(|| {
            let (to_tx, to_rx) = bounded(2);
            let (from_tx, from_rx) = bounded(2);
            let (to_probe, from_probe) = (to_rx.clone(), from_rx.clone());
            let ex = LocalExecutor::new();
            let me = ex.spawn(exchange((1..=6).collect(), to_tx, from_rx));
            let peer = ex.spawn(greedy_peer((101..=106).collect(), from_tx, to_rx));
            let mut outs = drive(&ex, vec![me, peer]);
            let (peer_got, mine) = (outs.pop().flatten(), outs.pop().flatten());
            match (mine, peer_got) {
                (Some(m), Some(p)) => (m, p),
                _ => panic!(
                    "exchange() sending 6 numbers to a peer that sends its own 6 before \
                         it receives anything, over channels of capacity 2: {}",
                    stuck(&to_probe, &from_probe)
                ),
            }
        });
        assert_eq!(
            (&mine, &peer_got),
            (&(101..=106).collect(), &(1..=6).collect()),
            "exchange() should receive 101..=106 and deliver 1..=6, in order; it received \
             {mine:?} and delivered {peer_got:?}.{}{}",
            LOST,
            read(SECTION)
        );
    }

    #[test]
    fn works_with_a_peer_that_sends_nothing() {
        let (mine, peer_got) = check(SECTION).hint(EXCHANGE_BLOCKED).run_sync(|| {
            let (to_tx, to_rx) = bounded(1);
            let (from_tx, from_rx) = bounded(1);
            let (to_probe, from_probe) = (to_rx.clone(), from_rx.clone());
            let ex = LocalExecutor::new();
            let me = ex.spawn(exchange(vec![7, 8, 9], to_tx, from_rx));
            // A peer with nothing to say: it closes its side at once and
            // reads until exchange() closes the other.
            let peer = ex.spawn(greedy_peer(Vec::new(), from_tx, to_rx));
            let mut outs = drive(&ex, vec![me, peer]);
            let (peer_got, mine) = (outs.pop().flatten(), outs.pop().flatten());
            match (mine, peer_got) {
                (Some(m), Some(p)) => (m, p),
                _ => panic!(
                    "exchange() sending 7, 8, 9 to a peer that sends nothing and reads \
                         until the channel is closed: {}",
                    stuck(&to_probe, &from_probe)
                ),
            }
        });
        assert_eq!(
            (&mine, &peer_got),
            (&vec![], &vec![7, 8, 9]),
            "the peer sent nothing and should have read 7, 8, 9; exchange() received \
             {mine:?} and delivered {peer_got:?}.{}{}",
            LOST,
            read(SECTION)
        );
    }

    #[test]
    fn stops_quietly_when_the_peer_has_gone() {
        let outcome = check(SECTION).hint(EXCHANGE_BLOCKED).run_sync(|| {
            let (to_tx, to_rx) = bounded(1);
            let (from_tx, from_rx) = bounded::<u32>(1);
            // The peer hangs up before the conversation starts.
            drop((to_rx, from_tx));
            let ex = LocalExecutor::new();
            let me = ex.spawn(exchange(vec![1, 2, 3], to_tx, from_rx));
            match catch_unwind(AssertUnwindSafe(|| drive(&ex, vec![me]))) {
                Ok(mut outs) => Ok(outs.pop().flatten()),
                Err(payload) => {
                    let text = panic_text(&*payload);
                    if text.contains(testkit::TODO_MARKER) {
                        resume_unwind(payload);
                    }
                    Err(text)
                }
            }
        });
        match outcome {
            Ok(Some(got)) => assert!(
                got.is_empty(),
                "the peer sent nothing, yet exchange() returned {got:?}.{}",
                read(SECTION)
            ),
            Ok(None) => panic!(
                "exchange() never finished although the peer had closed both channels: \
                 send() returns Err once nobody can receive, and recv() returns Err once the \
                 channel is closed and empty. Stop on those errors.{}",
                read(SECTION)
            ),
            Err(text) => panic!(
                "exchange() panicked when the peer had gone away: {text:?}. send() returns \
                 Err(SendError) once nobody can receive any more; that is the end of the \
                 conversation, not a bug: stop sending (break) instead of unwrap().{}",
                read(SECTION)
            ),
        }
    }
}

// ===================================================================== cache

mod cache {
    use super::*;

    const SECTION: &str = "exercise-cache";

    const CACHE_BLOCKED: &str = "the cache blocked the whole thread. A std RwLock or Mutex guard \
        held across .await (or a *_blocking lock) blocks the thread when another task wants \
        the lock, and the task that holds it can never run again to release it. Keep the \
        async_lock::RwLock and .await its read() and write().";

    #[test]
    fn view_runs_f_on_the_value_or_returns_none() {
        let (len, missing, called) = check(SECTION).hint(CACHE_BLOCKED).run_local(|| async {
            let cache = Cache::with_entries([("home", "<h1>home</h1>")]);
            let len = cache.view("home", async |page: &str| page.len()).await;
            let called = Cell::new(false);
            let missing = cache
                .view("nope", async |_page: &str| {
                    called.set(true);
                    0
                })
                .await;
            (len, missing, called.get())
        });
        assert_eq!(
            len,
            Some(13),
            "view(\"home\", f) should return Some(f(value)); the value is \"<h1>home</h1>\" \
             and f returns its length, 13.{}",
            read(SECTION)
        );
        assert_eq!(
            (missing, called),
            (None, false),
            "view() of a missing key must return None without calling f.{}",
            read(SECTION)
        );
    }

    #[test]
    fn readers_share_the_lock() {
        // Four views whose f waits at a gate for the others: it opens only
        // when all four are inside at the same time.
        let gate = Gate::with(
            4,
            PATIENCE,
            "at most one view() was inside its f at a time: view() took the lock for itself \
             alone. The write lock (or a Mutex) lets one task in at a time; \
             entries.read().await lets any number of readers in together.",
        );
        let seen = check(SECTION)
            .hint(CACHE_BLOCKED)
            .run_local(move || async move {
                let cache = Cache::with_entries([("home", "welcome")]);
                let ex = LocalExecutor::new();
                let tasks: Vec<_> = (0..4)
                    .map(|_| {
                        let (cache, gate) = (&cache, gate.clone());
                        ex.spawn(async move {
                            cache
                                .view("home", async |page: &str| {
                                    gate.wait().await;
                                    page.to_string()
                                })
                                .await
                        })
                    })
                    .collect();
                ex.run(async {
                    let mut seen = Vec::new();
                    for task in tasks {
                        seen.push(task.await);
                    }
                    seen
                })
                .await
            });
        assert!(
            seen.iter().all(|s| s.as_deref() == Some("welcome")),
            "every view of \"home\" should see \"welcome\"; they saw {seen:?}.{}",
            read(SECTION)
        );
    }

    #[test]
    fn concurrent_updates_are_not_lost() {
        // Five updates at once, each adding 1 to a counter. Computing the
        // new value takes a turn (f yields), so other tasks run meanwhile.
        let (value, most_at_once, saw_missing) =
            check(SECTION).hint(CACHE_BLOCKED).run_sync(|| {
                let cache = Cache::new();
                let writers = InFlight::new();
                let saw_missing = Cell::new(0);
                let ex = LocalExecutor::new();
                let tasks = (0..5)
                    .map(|_| {
                        let (cache, writers, saw_missing) = (&cache, &writers, &saw_missing);
                        ex.spawn(async move {
                            cache
                                .update("hits", async |old: Option<&str>| {
                                    let _inside = writers.enter();
                                    let n: u64 = match old {
                                        Some(text) => text.parse().unwrap(),
                                        None => {
                                            saw_missing.set(saw_missing.get() + 1);
                                            0
                                        }
                                    };
                                    future::yield_now().await;
                                    (n + 1).to_string()
                                })
                                .await
                        })
                    })
                    .collect();
                let outs = drive(&ex, tasks);
                if outs.iter().any(Option::is_none) {
                    panic!(
                        "five update()s on one thread never finished: nothing could run any \
                         more. update() should take the write lock once and hold it while \
                         f runs; asking for the lock again while you hold it waits \
                         forever.{}",
                        read(SECTION)
                    );
                }
                // Read the result back with one more update that keeps it.
                let last = RefCell::new(None);
                future::block_on(cache.update("hits", async |old: Option<&str>| {
                    *last.borrow_mut() = old.map(str::to_string);
                    old.unwrap_or_default().to_string()
                }));
                drop(ex);
                (last.into_inner(), writers.max(), saw_missing.get())
            });
        assert_eq!(
            value.as_deref(),
            Some("5"),
            "five update()s that each add 1 to \"hits\" left it at {value:?}: updates were \
             lost. Each f read the old value, paused, and returned old + 1. When update() \
             lets go of the lock while f runs (or reads the old value under one lock and \
             stores the new one under another), several f see the same old value and \
             overwrite each other. Hold one write guard (entries.write().await) from reading \
             the old value until the new one is stored.{}",
            read(SECTION)
        );
        assert_eq!(
            (most_at_once, saw_missing),
            (1, 1),
            "update()'s f must run alone: one at a time (at most {most_at_once} ran at once), \
             and only the first one may see the key missing ({saw_missing} did).{}",
            read(SECTION)
        );
    }

    #[test]
    fn a_writer_never_overlaps_a_reader() {
        // A reader, then a writer, then another reader, all at once. Each f
        // takes a few turns. While the writer's f runs nobody may read, and
        // while a reader's f runs nobody may write.
        let overlaps = check(SECTION).hint(CACHE_BLOCKED).run_sync(|| {
            let cache = Cache::with_entries([("home", "old page")]);
            let readers = InFlight::new();
            let writers = InFlight::new();
            let overlaps = RefCell::new(Vec::new());
            let ex = LocalExecutor::new();
            let (c, r, w, o) = (&cache, &readers, &writers, &overlaps);
            let reader = |name: &'static str| {
                ex.spawn(async move {
                    c.view("home", async |page: &str| {
                        let _inside = r.enter();
                        for _ in 0..3 {
                            if w.current() > 0 {
                                o.borrow_mut().push(format!("{name} read during a write"));
                            }
                            future::yield_now().await;
                        }
                        page.to_string()
                    })
                    .await
                    .unwrap_or_default()
                })
            };
            let first = reader("reader 1");
            let writer = ex.spawn(async move {
                c.update("home", async |_old: Option<&str>| {
                    let _inside = w.enter();
                    for _ in 0..3 {
                        if r.current() > 0 {
                            o.borrow_mut().push("the writer wrote during a read".into());
                        }
                        future::yield_now().await;
                    }
                    "new page".to_string()
                })
                .await;
                String::new()
            });
            let second = reader("reader 2");
            let outs = drive(&ex, vec![first, writer, second]);
            drop(ex);
            if outs.iter().any(Option::is_none) {
                panic!(
                    "two view()s and an update() on one thread never finished: nothing \
                         could run any more. Each should take its lock once (read or \
                         write) and hold it until its f is done.{}",
                    read(SECTION)
                );
            }
            let mut overlaps = overlaps.into_inner();
            overlaps.dedup();
            overlaps
        });
        assert!(
            overlaps.is_empty(),
            "a reader and a writer were inside at the same time: {overlaps:?}. view() must \
             keep its read guard alive until f's future is done (do not copy the value out \
             and drop the guard before f runs), and update() must hold its write guard \
             while f runs. Then the RwLock keeps writers and readers apart.{}",
            read(SECTION)
        );
    }
}
