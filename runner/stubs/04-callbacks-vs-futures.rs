//! Lesson 04 — callbacks vs futures.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/04-callbacks-vs-futures.md; `cargo workshop hint 4`
//! gives a hint when you are stuck.
#![allow(unused_variables, unused_imports, dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use anyhow::Context as _;

/// A callback: called once, later, maybe on another thread, with the result.
pub type Callback<T> = Box<dyn FnOnce(T) + Send + 'static>;

/// What one kitchen step hands to its callback.
pub type Reply = Result<String, KitchenError>;

/// A kitchen step that went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitchenError {
    /// "chop", "cook" or "plate".
    pub step: &'static str,
    pub reason: String,
}

/// A callback-style kitchen. Each method returns at once; the kitchen works
/// in the background and calls `done` exactly once with the result.
pub trait Kitchen: Send + Sync + 'static {
    /// "onion" -> "chopped onion"
    fn chop(&self, ingredient: &str, done: Callback<Reply>);
    /// "chopped onion" -> "fried chopped onion"
    fn cook(&self, chopped: &str, done: Callback<Reply>);
    /// "fried chopped onion" -> "plate of fried chopped onion"
    fn plate(&self, cooked: &str, done: Callback<Reply>);
}

impl fmt::Display for KitchenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.reason)
    }
}

impl std::error::Error for KitchenError {}

/// Exercise `make_dish`: chop, then cook, then plate, with callbacks only.
/// Returns at once; `done` gets the plated dish, or the first error.
pub fn make_dish(
    kitchen: Arc<dyn Kitchen>,
    ingredient: &str,
    done: impl FnOnce(Reply) + Send + 'static,
) {
    // TODO: chop `ingredient`, then cook what comes back, then plate that,
    // using only the kitchen's callbacks (no channels, no blocking waits):
    // make_dish must return at once. Call `kitchen.chop(ingredient,
    // Box::new(move |reply| ...))`; inside, on Ok call `cook` the same way
    // (keep a clone of the Arc for it), and inside that call `plate` with
    // `Box::new(done)`. On Err at any step, call `done(Err(e))` with that same
    // error and start no further step. `done` must be called exactly once.
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
pub fn callback_future<T, S>(start: S) -> CallbackFuture<T>
where
    T: Send + 'static,
    S: FnOnce(Callback<T>),
{
    // TODO: make the shared state `Arc::new(Mutex::new(Shared { result: None,
    // waker: None }))`, then call `start` right away with a boxed callback
    // that (1) locks the state, (2) stores `Some(value)` in `result`,
    // (3) takes the waker out, (4) lets go of the lock and only THEN wakes the
    // waker, if there was one. Return `CallbackFuture { shared }`.
    todo!()
}

impl<T> Future for CallbackFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // TODO: lock the shared state once. If `result` holds the value,
        // take it and return Poll::Ready(value). Otherwise store a clone of
        // THIS poll's waker (`cx.waker().clone()`), replacing any older one,
        // and return Poll::Pending. Check and store under the same lock.
        todo!()
    }
}

/// Exercise `make_dish_async`: the same flow as [`make_dish`], written with
/// `.await` on [`callback_future`]. Errors come back with `?`, with context.
pub async fn make_dish_async(
    kitchen: Arc<dyn Kitchen>,
    ingredient: &str,
) -> anyhow::Result<String> {
    // TODO: the same three steps as `make_dish`, one after another with
    // `.await`: `callback_future(|done| kitchen.chop(ingredient, done)).await`
    // gives a `Reply`. Pass each error on with `?`, and add context first:
    // `.with_context(|| format!("chopping {ingredient}"))`, then
    // "cooking {chopped}" and "plating {cooked}". Return Ok(the plated dish).
    todo!()
}
