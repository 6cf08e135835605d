//! Given code of the exercises: the callback-style kitchen API that
//! `make_dish`, `callback_future` and `make_dish_async` work against. The
//! exercise and the solution re-export it. (The demos' [`crate::Kitchen`] is
//! a concrete kitchen with the same three steps; the exercises' [`Kitchen`]
//! is a trait, so that the checks can bring kitchens of their own.)

use std::fmt;

// ANCHOR: api
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
// ANCHOR_END: api

impl fmt::Display for KitchenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.reason)
    }
}

impl std::error::Error for KitchenError {}
