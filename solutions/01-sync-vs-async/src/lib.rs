//! Lesson 01 — waiting in line: sync vs threads vs async tasks.
//!
//! Reference solutions. The exercise crate has the same API with `todo!()`
//! bodies; both are checked by `tests/01-sync-vs-async.rs`.

use std::future::Future;

use futures_lite::future;
use smol::LocalExecutor;

// ANCHOR: both
/// Exercise `both`: wait for two orders *at the same time* and return both
/// results.
pub async fn both<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    // `zip` polls both futures each time it is polled, so while `a` waits,
    // `b` gets its turn. Awaiting `a` and then `b` would queue them.
    future::zip(a, b).await
}
// ANCHOR_END: both

// ANCHOR: try_both
/// Exercise `try_both`: like [`both`], for orders that can fail. The first
/// error comes back to the caller at once; the other order is dropped
/// (cancelled) instead of being waited for.
pub async fn try_both<A, B, T, U>(a: A, b: B) -> anyhow::Result<(T, U)>
where
    A: Future<Output = anyhow::Result<T>>,
    B: Future<Output = anyhow::Result<U>>,
{
    future::try_zip(a, b).await
}
// ANCHOR_END: try_both

// ANCHOR: with_threads
/// Exercise `with_threads`: serve every order on a thread of its own and
/// return the results in the order of `orders`.
pub fn with_threads<F>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> String + Sync,
{
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
}
// ANCHOR_END: with_threads

// ANCHOR: on_one_thread
/// Exercise `on_one_thread`: serve every order as an async task, all on the
/// calling thread, and return the results in the order of `orders`.
pub fn on_one_thread<F, Fut>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = String>,
{
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
}
// ANCHOR_END: on_one_thread
