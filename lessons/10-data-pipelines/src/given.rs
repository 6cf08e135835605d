//! Given code of the exercises: what `count_words` returns. The exercise
//! and the solution re-export it.

/// What the exercise `count_words` counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines, as `lines()` sees them: a last line without `\n` counts too.
    pub lines: usize,
    /// Words: runs of non-whitespace (`str::split_whitespace`).
    pub words: usize,
}
