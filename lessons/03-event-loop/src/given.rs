//! GIVEN to lesson 03's `reactor` exercise (the exercise crate uses these):
//! what a callback tells the reactor, and how the reactor keeps sources of
//! different types, each with its callback, in one map.

use polling::AsSource;

/// What a callback tells the reactor after it ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// "Call me again the next time my source is ready": re-arm the interest.
    Keep,
    /// "I am done with this source": stop watching it and drop it.
    Remove,
}

/// One registered source together with its callback, behind a trait
/// object so that sources of different types fit in one map.
pub trait Registered {
    /// Runs the callback on the source.
    fn fire(&mut self) -> Next;
    /// The source, for `modify` and `delete`.
    fn source(&self) -> &dyn AsSource;
}

/// The one implementation of [`Registered`].
pub struct Slot<S, F> {
    /// The source the reactor owns (a socket).
    pub source: S,
    /// What runs when the source is ready.
    pub callback: F,
}

impl<S, F> Registered for Slot<S, F>
where
    S: AsSource,
    F: FnMut(&mut S) -> Next,
{
    fn fire(&mut self) -> Next {
        (self.callback)(&mut self.source)
    }

    fn source(&self) -> &dyn AsSource {
        &self.source
    }
}
