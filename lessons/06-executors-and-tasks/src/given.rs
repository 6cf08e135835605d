//! Given code of the exercises: the types `until_idle` and `logged` work
//! with. The exercise and the solution re-export them.

use std::sync::{Arc, Mutex};

// ANCHOR: idle
/// What the exercise `until_idle` saw: each job's output if it finished, and how many
/// polls the executor ran in all.
#[derive(Debug, PartialEq, Eq)]
pub struct Idle<T> {
    /// `Some(output)` for a job that finished, `None` for one that was still
    /// waiting (it has been cancelled).
    pub outputs: Vec<Option<T>>,
    /// How many times `try_tick` ran a task.
    pub polls: usize,
}
// ANCHOR_END: idle

// ANCHOR: log
/// A shared, ordered log of what happened.
pub type Log = Arc<Mutex<Vec<String>>>;
// ANCHOR_END: log
