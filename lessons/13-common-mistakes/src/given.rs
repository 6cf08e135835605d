//! Given code of the exercises: the settings `load_config` reads. The
//! exercise and the solution re-export them.

/// The settings the exercise `load_config` (swallowed_error) reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub port: u16,
    pub workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8080,
            workers: 4,
        }
    }
}
