//! Lesson 03 — the event loop: build a reactor.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. Do the
//! exercises in order: `reactor` (register + turn), `hang_up` (deregister),
//! `echo_server` (serve_echo uses your reactor). The book chapter is
//! book/src/03-event-loop.md; `cargo workshop hint 3` gives a hint when you
//! are stuck. Everything marked GIVEN is done for you.
#![allow(unused_variables, unused_imports, dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::time::Duration;

pub use polling::{AsSource, Event, Events};

mod watched;
pub use watched::{WaitTally, WatchedPoller};

/// What a callback tells the reactor after it ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// "Call me again the next time my source is ready": re-arm the interest.
    Keep,
    /// "I am done with this source": stop watching it and drop it.
    Remove,
}

/// GIVEN: one registered source together with its callback, behind a trait
/// object so that sources of different types fit in one map.
trait Registered {
    /// Runs the callback on the source.
    fn fire(&mut self) -> Next;
    /// The source, for `modify` and `delete`.
    fn source(&self) -> &dyn AsSource;
}

/// GIVEN: the one implementation of [`Registered`].
struct Slot<S, F> {
    source: S,
    callback: F,
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

/// A reactor: it owns sources (sockets), waits until some of them are ready
/// and runs the callbacks of exactly those.
pub struct Reactor {
    /// The OS's "who needs attention?" service (epoll, kqueue, IOCP).
    poller: WatchedPoller,
    /// Where `wait` puts the events; reused on every turn.
    events: Events,
    /// Every registered source and its callback, by key.
    sources: HashMap<usize, Box<dyn Registered>>,
    /// The key the next registered source gets.
    next_key: usize,
}

impl Reactor {
    /// GIVEN: an empty reactor.
    pub fn new() -> io::Result<Self> {
        Ok(Reactor {
            poller: WatchedPoller::new()?,
            events: Events::new(),
            sources: HashMap::new(),
            next_key: 0,
        })
    }

    /// GIVEN: how many sources are registered.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// GIVEN: is no source registered?
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// GIVEN: is `key` registered?
    pub fn is_registered(&self, key: usize) -> bool {
        self.sources.contains_key(&key)
    }

    /// GIVEN: how often this reactor's poller waited, and how often it came
    /// back with nothing.
    pub fn tally(&self) -> WaitTally {
        self.poller.tally()
    }

    /// Exercise `reactor`: take ownership of `source`, ask the poller to
    /// report when it is readable, and remember `callback` for it. Returns
    /// the source's key: every key is different.
    pub fn register<S, F>(&mut self, source: S, callback: F) -> io::Result<usize>
    where
        S: AsSource + 'static,
        F: FnMut(&mut S) -> Next + 'static,
    {
        // TODO: take the key `self.next_key` and increment it. Register the
        // source with the poller: `unsafe { self.poller.add(&source,
        // Event::readable(key))? }` (SAFETY: the reactor owns the source and
        // deletes it before dropping it). Then insert
        // `Box::new(Slot { source, callback })` into `self.sources` under the
        // key, and return the key.
        todo!()
    }

    /// Exercise `reactor`: one turn of the event loop. Wait until at least
    /// one source is ready (or `timeout` passes; `None` = wait as long as it
    /// takes), run the callback of every ready source once, then re-arm it
    /// (`Next::Keep`) or deregister it (`Next::Remove`). Returns the keys
    /// whose callbacks ran, in the order they ran.
    pub fn turn(&mut self, timeout: Option<Duration>) -> io::Result<Vec<usize>> {
        // TODO: `self.events.clear()`, then `self.poller.wait(&mut
        // self.events, timeout)?` with the caller's timeout unchanged. Collect
        // the keys of the events (`self.events.iter().map(|ev| ev.key)`). For
        // each key still in `self.sources`: run `slot.fire()` and push the key
        // to the list you return. If it returned `Next::Keep`, re-arm it
        // (interest is oneshot): `self.poller.modify(slot.source(),
        // Event::readable(key))?`. If `Next::Remove`: `self.deregister(key)?`
        // (exercise hang_up). Never call a callback whose key was not in the
        // events.
        todo!()
    }

    /// Exercise `hang_up`: stop watching the source with this key and drop
    /// it. An unknown key is an error of kind `NotFound`.
    pub fn deregister(&mut self, key: usize) -> io::Result<()> {
        // TODO: remove the slot from `self.sources`; if the key was not there,
        // return an `io::Error` of kind `ErrorKind::NotFound`. Then
        // `self.poller.delete(slot.source())?` and only after that drop the
        // slot (which closes the socket).
        todo!()
    }
}

impl Drop for Reactor {
    /// GIVEN: keep the promise made to `add` for every source still here.
    fn drop(&mut self) {
        for slot in self.sources.values() {
            let _ = self.poller.delete(slot.source());
        }
    }
}

/// Exercise `echo_server`: on the calling thread, with `reactor`, accept
/// `clients` connections from `listener` and serve all of them at the same
/// time: every chunk of bytes a client sends is answered with
/// `reply(chunk)`. Return once all `clients` have connected and hung up.
pub fn serve_echo<R>(
    reactor: &mut Reactor,
    listener: TcpListener,
    clients: usize,
    reply: R,
) -> io::Result<()>
where
    R: Fn(&[u8]) -> Vec<u8> + 'static,
{
    // TODO: one thread, one loop:
    // 1. `listener.set_nonblocking(true)?` and wrap `reply` in an `Rc` so
    //    every client callback can share it.
    // 2. Register the listener. Its callback accepts in a loop until
    //    WouldBlock, pushes each new stream into a "lobby"
    //    (`Rc<RefCell<Vec<TcpStream>>>`: a callback cannot register into the
    //    reactor that is running it) and counts it (`Rc<Cell<usize>>`). It
    //    returns Next::Remove once `clients` have been accepted, else Keep.
    // 3. Loop while not all clients were accepted or some are still open:
    //    `reactor.turn(None)?` (None: sleep until something is ready, never
    //    spin), then take the streams out of the lobby, `set_nonblocking(true)`
    //    each one, count it as open and register it with a callback that
    //    reads until WouldBlock (-> Next::Keep), writes `reply(chunk)` back for
    //    every chunk read, and on Ok(0) or an error counts it as closed and
    //    returns Next::Remove. Write that callback's reading part in
    //    `echo_ready` below.
    // 4. Return Ok(()).
    todo!()
}

/// Reads everything a ready client has sent and answers each chunk; says
/// whether to keep watching it.
fn echo_ready(stream: &mut TcpStream, reply: &dyn Fn(&[u8]) -> Vec<u8>) -> Next {
    // TODO: loop over `stream.read(&mut buf)` with a small buffer:
    // - Ok(0): the client hung up -> return Next::Remove;
    // - Ok(n): `stream.write_all(&reply(&buf[..n]))` (on error: Next::Remove)
    //   and keep reading: there may be more;
    // - Err of kind WouldBlock: all that arrived is read -> return Next::Keep
    //   (this is "nothing more for now", NOT "hung up");
    // - Err of kind Interrupted: try again; any other Err: Next::Remove.
    todo!()
}
