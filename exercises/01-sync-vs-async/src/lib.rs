//! Lesson 01 — waiting in line: sync vs threads vs async tasks.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. Read the
//! chapter book/src/01-sync-vs-async.md first; `cargo workshop hint 1`
//! gives one hint at a time when you are stuck.
#![allow(unused_variables, unused_imports)]

use std::future::Future;

use futures_lite::future;
use smol::LocalExecutor;

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
    todo!()
}

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
    todo!()
}

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
    todo!()
}

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
    todo!()
}
