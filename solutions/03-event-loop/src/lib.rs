//! Lesson 03 — the event loop: build a reactor.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/03-event-loop (`cargo workshop generate`). Both crates are
//! checked by `tests/03-event-loop.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. Do the
//~ //! exercises in order: `reactor` (register + turn), `hang_up`
//~ //! (deregister), `echo_server` (serve_echo uses your reactor). Read the
//~ //! chapter book/src/03-event-loop.md first; `cargo workshop hint 3` gives
//~ //! one hint at a time. Everything marked GIVEN is done for you.
//~ #![allow(unused_variables, unused_imports, dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::time::Duration;

pub use polling::{AsSource, Event, Events};

// GIVEN: the poller that counts its waits (lessons/03-event-loop/src/
// watched.rs), what a callback returns, and the box that keeps a source
// with its callback (lessons/03-event-loop/src/given.rs), from the lesson
// crate.
pub use lesson03_event_loop::{Next, WaitTally, WatchedPoller};
use lesson03_event_loop::{Registered, Slot};

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

    // ANCHOR: register
    /// Exercise `reactor`: take ownership of `source`, ask the poller to
    /// report when it is readable, and remember `callback` for it. Returns
    /// the source's key: every key is different.
    ///
    /// The poller's `add` is `unsafe`: read its safety rule on
    /// `WatchedPoller::add` (lessons/03-event-loop/src/watched.rs) and say
    /// in a `SAFETY:` comment why the reactor keeps it. Read: "The idea"
    /// and "Exercise: reactor" in the chapter.
    pub fn register<S, F>(&mut self, source: S, callback: F) -> io::Result<usize>
    where
        S: AsSource + 'static,
        F: FnMut(&mut S) -> Next + 'static,
    {
        // ANCHOR: learn-reactor-register
        let key = self.next_key;
        self.next_key += 1;
        // SAFETY: the reactor owns `source` from now on, and `deregister`
        // and `Drop` delete it from the poller before they drop it.
        unsafe { self.poller.add(&source, Event::readable(key))? };
        self.sources
            .insert(key, Box::new(Slot { source, callback }));
        Ok(key)
        // ANCHOR_END: learn-reactor-register
    }
    // ANCHOR_END: register

    // ANCHOR: turn
    /// Exercise `reactor`: one turn of the event loop. Wait until at least
    /// one source is ready (or `timeout` passes; `None` = wait as long as it
    /// takes), run the callback of every ready source once, then re-arm it
    /// (`Next::Keep`) or deregister it (`Next::Remove`). Returns the keys
    /// whose callbacks ran, in the order they ran.
    ///
    /// The checks make readiness a fact before each turn and prove: exactly
    /// the ready sources run (never one that is not ready, never last turn's
    /// events again), `Keep` keeps the source reported on later turns, and
    /// `turn(None)` sleeps in the poller until someone is ready (the poller
    /// counts waits that come back empty: a spinning loop shows up there).
    pub fn turn(&mut self, timeout: Option<Duration>) -> io::Result<Vec<usize>> {
        // ANCHOR: learn-reactor-turn
        // Old events would be dispatched again: start from an empty list.
        self.events.clear();
        self.poller.wait(&mut self.events, timeout)?;

        let ready: Vec<usize> = self.events.iter().map(|ev| ev.key).collect();
        let mut ran = Vec::with_capacity(ready.len());
        for key in ready {
            // A source removed earlier in this turn can still have an event.
            let Some(slot) = self.sources.get_mut(&key) else {
                continue;
            };
            ran.push(key);
            match slot.fire() {
                // Interest is oneshot: without `modify` we never hear from
                // this source again.
                Next::Keep => self.poller.modify(slot.source(), Event::readable(key))?,
                Next::Remove => self.deregister(key)?,
            }
        }
        Ok(ran)
        // ANCHOR_END: learn-reactor-turn
    }
    // ANCHOR_END: turn

    // ANCHOR: deregister
    /// Exercise `hang_up`: stop watching the source with this key and drop
    /// it. An unknown key is an error of kind `NotFound`.
    ///
    /// The checks prove that the source is dropped, that the poller no
    /// longer reports it (even while another handle keeps the socket open
    /// and data arrives on it), and that a hung-up client whose callback
    /// said `Remove` is never dispatched again. Read: "Exercise: hang_up".
    pub fn deregister(&mut self, key: usize) -> io::Result<()> {
        // ANCHOR: learn-hang_up
        let slot = self.sources.remove(&key).ok_or_else(|| {
            io::Error::new(ErrorKind::NotFound, format!("no source with key {key}"))
        })?;
        // Delete first, drop (close) after: the promise made in `register`.
        self.poller.delete(slot.source())?;
        drop(slot);
        Ok(())
        // ANCHOR_END: learn-hang_up
    }
    // ANCHOR_END: deregister
}

impl Drop for Reactor {
    /// GIVEN: keep the promise made to `add` for every source still here.
    fn drop(&mut self) {
        for slot in self.sources.values() {
            let _ = self.poller.delete(slot.source());
        }
    }
}

// ANCHOR: serve_echo
/// Exercise `echo_server`: on the calling thread, with `reactor`, accept
/// `clients` connections from `listener` and serve all of them at the same
/// time: every chunk of bytes a client sends is answered with
/// `reply(chunk)`. Return once all `clients` have connected and hung up.
///
/// Limits: one thread (the caller's), only your reactor (`turn`), no
/// threads or async runtime. A hung-up client leaves the reactor; when you
/// return, nothing is left registered. The checks run 10 clients that each
/// send in pieces and must ALL get their first reply before any may go on,
/// record the thread every `reply` ran on, and count empty waits (spinning).
/// Read: "Exercise: echo_server" in the chapter.
pub fn serve_echo<R>(
    reactor: &mut Reactor,
    listener: TcpListener,
    clients: usize,
    reply: R,
) -> io::Result<()>
where
    R: Fn(&[u8]) -> Vec<u8> + 'static,
{
    // ANCHOR: learn-echo_server
    listener.set_nonblocking(true)?;
    let reply = Rc::new(reply);
    // New connections wait in the lobby until the loop registers them: a
    // callback cannot reach the reactor that is running it.
    let lobby: Rc<RefCell<Vec<TcpStream>>> = Rc::default();
    let accepted = Rc::new(Cell::new(0));
    let open = Rc::new(Cell::new(0));

    let (lobby2, accepted2) = (lobby.clone(), accepted.clone());
    reactor.register(listener, move |listener: &mut TcpListener| {
        // Accept until accept() fails: WouldBlock means nobody else is
        // knocking right now; any other error (a client that gave up before
        // we accepted it) is retried at the next readiness.
        while let Ok((stream, _)) = listener.accept() {
            lobby2.borrow_mut().push(stream);
            accepted2.set(accepted2.get() + 1);
        }
        if accepted2.get() >= clients {
            Next::Remove
        } else {
            Next::Keep
        }
    })?;

    while accepted.get() < clients || open.get() > 0 {
        // Sleep until somebody needs attention: no timeout, no spinning.
        reactor.turn(None)?;
        let newcomers: Vec<TcpStream> = lobby.borrow_mut().drain(..).collect();
        for stream in newcomers {
            stream.set_nonblocking(true)?;
            open.set(open.get() + 1);
            let (reply, open) = (reply.clone(), open.clone());
            reactor.register(stream, move |stream: &mut TcpStream| {
                let next = echo_ready(stream, &*reply);
                if next == Next::Remove {
                    open.set(open.get() - 1);
                }
                next
            })?;
        }
    }
    Ok(())
    // ANCHOR_END: learn-echo_server
}

// ANCHOR: learn-echo_server-helpers
//~ // Your helper functions for serve_echo (if you want any) go here.
/// Reads everything a ready client has sent and answers each chunk; says
/// whether to keep watching it.
fn echo_ready(stream: &mut TcpStream, reply: &dyn Fn(&[u8]) -> Vec<u8>) -> Next {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            // End of file: the client hung up.
            Ok(0) => return Next::Remove,
            Ok(n) => {
                // Small replies fit in the socket's send buffer; a real server
                // would keep what does not fit and ask for `writable`.
                if stream.write_all(&reply(&buf[..n])).is_err() {
                    return Next::Remove;
                }
            }
            // Everything that arrived is read: wait for the next readiness.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Next::Keep,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Next::Remove,
        }
    }
}
// ANCHOR_END: learn-echo_server-helpers
// ANCHOR_END: serve_echo
