//! Lesson 01 — waiting in line: sync vs threads vs async tasks.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/01-sync-vs-async (`cargo workshop generate`). Both crates are
//! checked by `tests/01-sync-vs-async.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. Read the
//~ //! chapter book/src/01-sync-vs-async.md first; `cargo workshop hint 1`
//~ //! gives one hint at a time when you are stuck.
//~ #![allow(unused_variables, unused_imports)]

use std::future::Future;

use futures_lite::future;
use smol::LocalExecutor;

// ANCHOR: both
/// Exercise `both`: wait for two orders *at the same time* and return both
/// results, `a`'s output first.
///
/// The lesson's new tool is `futures_lite::future::zip`.
///
/// The checks prove that `a` and `b` are both in progress at once (each
/// waits at a gate that opens only when the other has arrived too), and that
/// each output lands in its own place whichever order finishes first.
/// Read: "The idea" and "Exercise: both" in the chapter.
pub async fn both<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    // ANCHOR: learn-both
    // `zip` polls both futures each time it is polled, so while `a` waits,
    // `b` gets its turn. Awaiting `a` and then `b` would queue them.
    future::zip(a, b).await
    // ANCHOR_END: learn-both
}
// ANCHOR_END: both

// ANCHOR: try_both
/// Exercise `try_both`: like [`both`], for orders that can fail.
///
/// * Both succeed: `Ok((t, u))`.
/// * Either fails: that error comes back to the caller *at once*, unchanged
///   (the caller must be able to downcast it), and the other order is
///   dropped (cancelled) instead of being waited for.
///
/// The lesson's new tool here is `futures_lite::future::try_zip`.
///
/// The checks fail one order while the other can never finish, and look at
/// the error you return and at whether the other order was dropped.
pub async fn try_both<A, B, T, U>(a: A, b: B) -> anyhow::Result<(T, U)>
where
    A: Future<Output = anyhow::Result<T>>,
    B: Future<Output = anyhow::Result<U>>,
{
    // ANCHOR: learn-try_both
    future::try_zip(a, b).await
    // ANCHOR_END: learn-try_both
}
// ANCHOR_END: try_both

// ANCHOR: with_threads
/// Exercise `with_threads`: serve every order on a thread of its own and
/// return the results in the order of `orders`.
///
/// The lesson's new tool is `std::thread::scope`.
///
/// The checks prove that every order is being served at the same time, that
/// each one ran on a different thread (none on the caller's), and that
/// result `i` belongs to `orders[i]`.
pub fn with_threads<F>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> String + Sync,
{
    // ANCHOR: learn-with_threads
    let serve = &serve;
    std::thread::scope(|s| {
        // Start every thread first...
        let handles: Vec<_> = orders
            .iter()
            .map(|&order| s.spawn(move || serve(order)))
            .collect();
        // ...and only then wait for them, in order.
        handles
            .into_iter()
            .map(|h| h.join().expect("a serving thread panicked"))
            .collect()
    })
    // ANCHOR_END: learn-with_threads
}
// ANCHOR_END: with_threads

// ANCHOR: on_one_thread
/// Exercise `on_one_thread`: serve every order as an async task, all on the
/// calling thread, and return the results in the order of `orders`.
///
/// The lesson's new tool is `smol::LocalExecutor`. No threads of your own.
///
/// The checks prove that every task is in progress at the same time, that
/// every one of them ran on the thread that called `on_one_thread`, and that
/// result `i` belongs to `orders[i]`.
pub fn on_one_thread<F, Fut>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = String>,
{
    // ANCHOR: learn-on_one_thread
    let ex = LocalExecutor::new();
    // Spawning only queues a task; nothing runs until the executor does.
    let tasks: Vec<_> = orders.iter().map(|&order| ex.spawn(serve(order))).collect();
    // Drive the executor on this thread until every task has finished.
    smol::block_on(ex.run(async {
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(task.await);
        }
        results
    }))
    // ANCHOR_END: learn-on_one_thread
}
// ANCHOR_END: on_one_thread
