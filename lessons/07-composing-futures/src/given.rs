//! Given code of the exercises: the error `with_timeout` returns. The
//! exercise and the solution re-export it.

use std::fmt;

/// The error the exercise `with_timeout` returns when the time ran out first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operation timed out")
    }
}

impl std::error::Error for TimedOut {}
