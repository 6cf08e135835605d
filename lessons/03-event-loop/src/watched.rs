//! GIVEN to lesson 03's `reactor` exercise (re-exported by the exercise
//! crate).
//!
//! [`WatchedPoller`] is a `polling::Poller` with a tally: it counts every
//! `wait()` and every `wait()` that came back with no event at all. The
//! methods have the same names, arguments and safety rules as
//! `polling::Poller`, so the code you write against it is the code you would
//! write against polling itself. The checks read the tally to tell a manager
//! who sleeps until someone needs attention from one who spins.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use polling::{AsSource, Event, Events, Poller};

/// A `polling::Poller` that counts its `wait()` calls.
#[derive(Debug)]
pub struct WatchedPoller {
    inner: Poller,
    tally: WaitTally,
}

/// How often a [`WatchedPoller`] waited. Cheap to clone; every clone sees
/// the same numbers, also from another thread.
#[derive(Clone, Debug, Default)]
pub struct WaitTally {
    inner: Arc<TallyInner>,
}

#[derive(Debug, Default)]
struct TallyInner {
    waits: AtomicUsize,
    empty: AtomicUsize,
}

impl WaitTally {
    /// How many times `wait()` was called (counted as it starts).
    pub fn waits(&self) -> usize {
        self.inner.waits.load(Ordering::SeqCst)
    }

    /// How many `wait()` calls came back without a single event: each one is
    /// a turn of the loop in which nobody needed attention.
    pub fn empty(&self) -> usize {
        self.inner.empty.load(Ordering::SeqCst)
    }
}

impl WatchedPoller {
    /// `Poller::new()`.
    pub fn new() -> io::Result<Self> {
        Ok(WatchedPoller {
            inner: Poller::new()?,
            tally: WaitTally::default(),
        })
    }

    /// `Poller::add`: start watching `source`; `interest` says for what
    /// (`Event::readable(key)`) and carries the key that events will report.
    /// Interest is **oneshot**: after one event is delivered the source is
    /// disarmed until you `modify` it.
    ///
    /// # Safety
    /// `source` must be [`delete`](Self::delete)d from this poller before it
    /// is dropped (closed).
    pub unsafe fn add(&self, source: impl AsSource, interest: Event) -> io::Result<()> {
        // SAFETY: the caller promises to delete the source before dropping it.
        unsafe { self.inner.add(&source.source(), interest) }
    }

    /// `Poller::modify`: re-arm (or change) the interest of a source that was
    /// added before.
    pub fn modify(&self, source: impl AsSource, interest: Event) -> io::Result<()> {
        self.inner.modify(source, interest)
    }

    /// `Poller::delete`: stop watching `source`.
    pub fn delete(&self, source: impl AsSource) -> io::Result<()> {
        self.inner.delete(source)
    }

    /// `Poller::wait`: sleep until at least one watched source is ready (or
    /// `timeout` passes; `None` = no timeout), append the events to
    /// `events` and return how many were added. It does not clear `events`.
    pub fn wait(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<usize> {
        self.tally.inner.waits.fetch_add(1, Ordering::SeqCst);
        let n = self.inner.wait(events, timeout)?;
        if n == 0 {
            self.tally.inner.empty.fetch_add(1, Ordering::SeqCst);
        }
        Ok(n)
    }

    /// A handle on this poller's tally of waits.
    pub fn tally(&self) -> WaitTally {
        self.tally.clone()
    }
}
