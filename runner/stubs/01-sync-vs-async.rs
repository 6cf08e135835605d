//! Lesson 01 — waiting in line: sync vs threads vs async tasks.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/01-sync-vs-async.md; `cargo workshop hint 1` gives a
//! hint when you are stuck.
#![allow(unused_variables, unused_imports)]

use std::future::Future;

use futures_lite::future;
use smol::LocalExecutor;

/// Exercise `both`: wait for two orders *at the same time* and return both
/// results.
pub async fn both<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    // TODO: return (output of a, output of b), waiting for both at the same
    // time. `a.await` followed by `b.await` waits in line: use
    // `future::zip(a, b).await` instead.
    todo!()
}

/// Exercise `try_both`: like [`both`], for orders that can fail. The first
/// error comes back to the caller at once; the other order is dropped
/// (cancelled) instead of being waited for.
pub async fn try_both<A, B, T, U>(a: A, b: B) -> anyhow::Result<(T, U)>
where
    A: Future<Output = anyhow::Result<T>>,
    B: Future<Output = anyhow::Result<U>>,
{
    // TODO: run a and b at the same time; return Ok((t, u)) when both
    // succeed, and the first error as soon as either fails, without waiting
    // for the other. `future::try_zip(a, b).await` does exactly that.
    todo!()
}

/// Exercise `with_threads`: serve every order on a thread of its own and
/// return the results in the order of `orders`.
pub fn with_threads<F>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> String + Sync,
{
    // TODO: inside `std::thread::scope(|s| ...)`, spawn one thread per order
    // that calls `serve(order)`. Spawn ALL of them first and collect the
    // handles; only then join them in order and collect the results.
    todo!()
}

/// Exercise `on_one_thread`: serve every order as an async task, all on the
/// calling thread, and return the results in the order of `orders`.
pub fn on_one_thread<F, Fut>(orders: &[u32], serve: F) -> Vec<String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = String>,
{
    // TODO: make a `LocalExecutor`, `ex.spawn(serve(order))` for every order
    // and keep the tasks. Then `smol::block_on(ex.run(async { ... }))`
    // awaiting each task in order, and return the results. No threads.
    todo!()
}
