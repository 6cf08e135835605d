//! Lesson 04 — callbacks vs futures.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. Read the
//! chapter book/src/04-callbacks-vs-futures.md first; `cargo workshop
//! hint 4` gives one hint at a time when you are stuck.
#![allow(unused_variables, unused_imports, dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use anyhow::Context as _;

// GIVEN: the kitchen's callback API, from the lesson crate
// (lessons/04-callbacks-vs-futures/src/given.rs).
pub use lesson04_callbacks_vs_futures::given::{Callback, Kitchen, KitchenError, Reply};

/// Exercise `make_dish`: chop, then cook, then plate, with callbacks only.
/// Returns at once; `done` gets the plated dish, or the first error.
///
/// * No waiting of any kind (no channel, no sleep, no executor): the checks
///   hold every kitchen answer until `make_dish` has returned.
/// * Each step gets the previous step's output; the kitchen may answer on
///   its own threads or at once, inside the call.
/// * `done` is called exactly once: with the dish, or with the first
///   `KitchenError` unchanged, and no later step starts after an error.
///
/// Read: "The pyramid" and "Exercise: make_dish" in the chapter.
pub fn make_dish(
    kitchen: Arc<dyn Kitchen>,
    ingredient: &str,
    done: impl FnOnce(Reply) + Send + 'static,
) {
    todo!()
}

/// What the callback and the future share: the result once it has arrived,
/// and the waker of whoever polled last.
struct Shared<T> {
    result: Option<T>,
    waker: Option<Waker>,
}

/// A future that completes when a callback is called.
pub struct CallbackFuture<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

/// Exercise `callback_future`: starts a callback-style operation right away
/// and returns a future of the value it will hand to its callback.
///
/// `start` is called before this function returns, with a callback that may
/// run at once (inside `start`), later, or on another thread. The future
/// built on `Shared` and [`CallbackFuture`] (given above):
/// * is `Pending` until the callback has run, then `Ready` with its value;
/// * wakes exactly once, the waker of the LATEST poll (a future can move
///   between tasks), and only after the value is where the next poll finds
///   it: the checks poll from another thread the instant you wake;
/// * never loses a wake when the callback races the first poll.
///
/// Read: "Polling by hand" and "Exercise: callback_future".
pub fn callback_future<T, S>(start: S) -> CallbackFuture<T>
where
    T: Send + 'static,
    S: FnOnce(Callback<T>),
{
    todo!()
}

impl<T> Future for CallbackFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        todo!()
    }
}

/// Exercise `make_dish_async`: the same flow as [`make_dish`], written with
/// `.await` on [`callback_future`]. Errors come back with `?`, with context.
///
/// * `Ok("plate of fried chopped onion")` for an onion;
/// * a failed step is an `Err` whose outermost message names the step and
///   its input (`chopping onion`, `cooking chopped onion`, `plating fried
///   chopped onion`), with the kitchen's `KitchenError` still inside (the
///   checks downcast to it); no panic, no unwrap;
/// * it waits without blocking: polled by hand, it is `Pending` once per
///   step and woken once per answer.
///
/// Read: "The same flow with async/await" and "Exercise: make_dish_async".
pub async fn make_dish_async(
    kitchen: Arc<dyn Kitchen>,
    ingredient: &str,
) -> anyhow::Result<String> {
    todo!()
}
