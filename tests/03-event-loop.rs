//! Checks for lesson 03 — the event loop: build a reactor. Compiled for both
//! exercises/03-event-loop and solutions/03-event-loop.
//!
//! Readiness is made a fact before a turn (the bytes are already waiting in
//! the socket), waiting is told from spinning by the poller's own tally of
//! empty waits, and "one thread" is proven with thread ids. No check measures
//! elapsed time.

use std::collections::HashSet;
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use event_loop::{Next, Reactor, WaitTally, serve_echo};
use testkit::Check;
use testkit::probes::{Counter, DropProbe, DropToken};

/// How long a wrong solution gets before a check gives up on it.
const PATIENCE: Duration = Duration::from_millis(1500);
/// The watchdog of every check: well above PATIENCE, well below 10 s.
const WATCHDOG: Duration = Duration::from_secs(4);

fn check(section: &str) -> Check {
    Check::new()
        .section(&format!("03-event-loop.md#{section}"))
        .timeout(WATCHDOG)
}

/// A turn that returned an error: name the likely cause.
fn turn_failed(which: &str, e: io::Error) -> ! {
    if e.kind() == ErrorKind::AlreadyExists {
        panic!(
            "{which} failed with {e}: the poller already watches that source. A source is \
             `add`ed once, in register; after an event its (oneshot) interest is re-armed \
             with self.poller.modify(slot.source(), Event::readable(key)), not with add.\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }
    panic!(
        "{which} returned the error {e:?}. A turn only fails when the poller itself does; \
         a callback's trouble is the callback's business.\n  \
         (read: book/src/03-event-loop.md#exercise-reactor)"
    );
}

/// A connected pair of loopback streams: `(client, server)`; the server
/// side is non-blocking, ready to be registered.
fn pair() -> (TcpStream, TcpStream) {
    let (client, server) = testkit::net::pair();
    server.set_nonblocking(true).expect("set_nonblocking");
    (client, server)
}

/// Sends `bytes` from `client` and waits until they are sitting in
/// `server`'s receive buffer: after this the server side is readable.
fn make_ready(client: &mut TcpStream, server: &TcpStream, bytes: &[u8]) {
    client.write_all(bytes).expect("client write");
    testkit::net::wait_for_bytes(server, bytes.len()).expect("bytes arrive");
    server.set_nonblocking(true).expect("set_nonblocking");
}

/// Hangs up `client` and waits until `server` sees the end of the stream
/// (a closed peer is readable forever).
fn make_hung_up(client: TcpStream, server: &TcpStream) {
    drop(client);
    server.set_nonblocking(false).expect("blocking");
    let mut b = [0u8; 1];
    loop {
        match server.peek(&mut b) {
            Ok(0) => break,
            Ok(_) => panic!("unexpected bytes from a closed client"),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => panic!("peek: {e}"),
        }
    }
    server.set_nonblocking(true).expect("set_nonblocking");
}

/// A server stream whose drop the check can see.
struct Probed {
    stream: TcpStream,
    _token: DropToken,
}

#[cfg(unix)]
impl std::os::fd::AsFd for Probed {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.stream.as_fd()
    }
}

#[cfg(windows)]
impl std::os::windows::io::AsSocket for Probed {
    fn as_socket(&self) -> std::os::windows::io::BorrowedSocket<'_> {
        self.stream.as_socket()
    }
}

/// Reads whatever is waiting, without blocking; true when the peer hung up.
fn drain(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 256];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return true,
        }
    }
}

/// Waits (up to `grace`) until `tally` shows at least one empty wait, so a
/// spinning loop has certainly been caught spinning before the test goes on.
/// A loop that sleeps in `wait` never produces one: it just costs the grace.
fn give_a_spinner_time_to_show(tally: &WaitTally, grace: Duration) {
    let until = Instant::now() + grace;
    while tally.empty() == 0 && Instant::now() < until {
        thread::sleep(Duration::from_millis(5));
    }
}

mod reactor {
    use super::*;

    #[test]
    fn a_ready_source_gets_its_callback_run() {
        let (calls, key, ran) = check("exercise-reactor").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (mut client, server) = pair();
            make_ready(&mut client, &server, b"ping");
            let calls = Counter::new();
            let c = calls.clone();
            let key = reactor
                .register(server, move |s: &mut TcpStream| {
                    c.add(1);
                    drain(s);
                    Next::Keep
                })
                .expect("register");
            let ran = reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn", e));
            (calls.get(), key, ran)
        });
        assert_eq!(
            calls, 1,
            "the source had bytes waiting, so one turn must run its callback exactly once; it \
             ran {calls} times. register() must poller.add(&source, Event::readable(key)) and \
             turn() must call the callback of every key in the events.\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
        assert_eq!(
            ran,
            vec![key],
            "turn() must return the keys whose callbacks ran this turn (here just the key \
             register() returned, {key})\n  (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }

    #[test]
    fn every_source_gets_its_own_key() {
        let (keys, len) = check("exercise-reactor").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let mut keep = Vec::new();
            let mut keys = Vec::new();
            for _ in 0..5 {
                let (client, server) = pair();
                keep.push(client);
                keys.push(
                    reactor
                        .register(server, |_: &mut TcpStream| Next::Keep)
                        .expect("register"),
                );
            }
            (keys, reactor.len())
        });
        let distinct: HashSet<_> = keys.iter().collect();
        assert_eq!(
            distinct.len(),
            5,
            "5 sources got the keys {keys:?}: every source needs a key of its own (use \
             self.next_key and increment it), or events cannot say who is ready\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
        assert_eq!(
            len, 5,
            "after 5 register() calls the reactor holds {len} sources: insert each source \
             and its callback into self.sources\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }

    #[test]
    fn a_source_that_is_not_ready_is_not_dispatched() {
        let (loud_calls, quiet_calls, ran, loud) = check("exercise-reactor").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (mut loud_client, loud_server) = pair();
            let (_quiet_client, quiet_server) = pair();
            make_ready(&mut loud_client, &loud_server, b"me!");
            let (loud_calls, quiet_calls) = (Counter::new(), Counter::new());
            let (l, q) = (loud_calls.clone(), quiet_calls.clone());
            let loud = reactor
                .register(loud_server, move |s: &mut TcpStream| {
                    l.add(1);
                    drain(s);
                    Next::Keep
                })
                .expect("register");
            reactor
                .register(quiet_server, move |_: &mut TcpStream| {
                    q.add(1);
                    Next::Keep
                })
                .expect("register");
            let ran = reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn", e));
            (loud_calls.get(), quiet_calls.get(), ran, loud)
        });
        assert_eq!(
            quiet_calls, 0,
            "a source with nothing to read had its callback run {quiet_calls} time(s). The \
             reactor must run only the callbacks of the keys that wait() reported, not every \
             registered callback: that is the whole point of asking the poller who is ready\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
        assert_eq!(
            (loud_calls, ran),
            (1, vec![loud]),
            "the one ready source must be dispatched exactly once in the turn\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }

    #[test]
    fn last_turns_events_are_not_dispatched_again() {
        let (a_calls, b_calls, second) = check("exercise-reactor").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (mut a_client, a_server) = pair();
            let (mut b_client, b_server) = pair();
            let a_probe = a_server.try_clone().expect("clone");
            let b_probe = b_server.try_clone().expect("clone");
            let (a_calls, b_calls) = (Counter::new(), Counter::new());
            let (ac, bc) = (a_calls.clone(), b_calls.clone());
            reactor
                .register(a_server, move |s: &mut TcpStream| {
                    ac.add(1);
                    drain(s);
                    Next::Keep
                })
                .expect("register");
            let b = reactor
                .register(b_server, move |s: &mut TcpStream| {
                    bc.add(1);
                    drain(s);
                    Next::Keep
                })
                .expect("register");
            make_ready(&mut a_client, &a_probe, b"first");
            reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn 1", e));
            // a was served and has nothing more; now only b is ready.
            make_ready(&mut b_client, &b_probe, b"second");
            let second = reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn 2", e));
            let _ = b;
            (a_calls.get(), b_calls.get(), second)
        });
        assert_eq!(
            a_calls, 1,
            "source a was served in turn 1 and had nothing new in turn 2, yet its callback ran \
             {a_calls} times. wait() appends to the Events list: call self.events.clear() \
             before every wait, or last turn's events are dispatched again\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
        assert_eq!(
            (b_calls, second.len()),
            (1, 1),
            "in turn 2 only source b was ready; turn 2 ran {second:?}\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }

    #[test]
    fn keep_re_arms_the_oneshot_interest() {
        let (calls, second) = check("exercise-reactor").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (mut client, server) = pair();
            let probe = server.try_clone().expect("clone");
            let calls = Counter::new();
            let c = calls.clone();
            reactor
                .register(server, move |s: &mut TcpStream| {
                    c.add(1);
                    drain(s);
                    Next::Keep
                })
                .expect("register");
            make_ready(&mut client, &probe, b"one");
            reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn 1", e));
            make_ready(&mut client, &probe, b"two");
            // A correct reactor dispatches at once; a disarmed source makes
            // this turn sit out its whole timeout and return nothing.
            let second = reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn 2", e));
            (calls.get(), second)
        });
        assert!(
            second.len() <= 1,
            "turn 2 ran the same callback more than once: {second:?}. wait() appends to the \
             Events list: call self.events.clear() before every wait\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
        assert_eq!(
            (calls, second.len()),
            (2, 1),
            "new bytes arrived after the first callback returned Next::Keep, but the second \
             turn ran {second:?} ({calls} callback(s) in all). polling's interest is ONESHOT: \
             after one event the source is disarmed. On Next::Keep call \
             self.poller.modify(slot.source(), Event::readable(key)) to re-arm it\n  \
             (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }

    #[test]
    fn turn_sleeps_until_a_source_is_ready_instead_of_spinning() {
        let (ran, waits, empty) = check("exercise-reactor")
            .hint(
                "turn(None) never returned although a client wrote to a registered source: \
                 is the source registered with Event::readable(key)?",
            )
            .run_sync(|| {
                let mut reactor = Reactor::new().expect("Reactor::new");
                let (mut client, server) = pair();
                let key = reactor
                    .register(server, |s: &mut TcpStream| {
                        drain(s);
                        Next::Keep
                    })
                    .expect("register");
                let tally = reactor.tally();
                // The client writes only once the reactor is inside wait()
                // (and a little after, so a zero timeout has surely expired).
                let writer = thread::spawn(move || {
                    let until = Instant::now() + PATIENCE;
                    while tally.waits() == 0 && Instant::now() < until {
                        thread::sleep(Duration::from_millis(1));
                    }
                    thread::sleep(Duration::from_millis(50));
                    client.write_all(b"finally").expect("write");
                    client
                });
                let ran = reactor
                    .turn(None)
                    .unwrap_or_else(|e| turn_failed("turn", e));
                let _client = writer.join().expect("writer");
                let tally = reactor.tally();
                let _ = key;
                (ran, tally.waits(), tally.empty())
            });
        assert!(
            empty == 0 && ran.len() == 1,
            "turn(None) must sleep in wait() until a source is ready, then dispatch it. Here \
             wait() was called {waits} time(s), {empty} came back empty, and the turn ran \
             {ran:?}. Pass the caller's `timeout` to self.poller.wait(..) unchanged: \
             Some(Duration::ZERO) only asks \"anybody?\" and returns at once, which turns the \
             event loop into a busy loop\n  (read: book/src/03-event-loop.md#exercise-reactor)"
        );
    }
}

mod hang_up {
    use super::*;

    #[test]
    fn deregister_stops_watching_and_drops_the_source() {
        let (len, dropped, again) = check("exercise-hang_up").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (_client, server) = pair();
            let probe = DropProbe::new();
            let source = Probed {
                stream: server,
                _token: probe.token(),
            };
            let key = reactor
                .register(source, |_: &mut Probed| Next::Keep)
                .expect("register");
            reactor
                .deregister(key)
                .expect("deregister a registered key");
            let again = reactor.deregister(key);
            (reactor.len(), probe.dropped(), again)
        });
        assert_eq!(
            len, 0,
            "after deregister(key) the reactor still holds {len} source(s): remove it from \
             self.sources\n  (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
        assert!(
            dropped,
            "deregister(key) returned but the source was not dropped (its socket is still \
             open). Take it out of the map and let it go, after poller.delete\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
        match again {
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            other => panic!(
                "deregister() of a key that is no longer registered must return an error of \
                 kind NotFound, got {other:?}\n  \
                 (read: book/src/03-event-loop.md#exercise-hang_up)"
            ),
        }
    }

    #[test]
    fn deregister_deletes_the_source_from_the_poller() {
        let (ran, before, after) = check("exercise-hang_up").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (mut client, server) = pair();
            // A second handle on the same socket: it stays open after the
            // reactor drops its own. The poller watches the socket, not the
            // handle, so only `delete` makes it stop reporting it.
            let watcher = server.try_clone().expect("clone");
            let key = reactor
                .register(server, |_: &mut TcpStream| Next::Keep)
                .expect("register");
            reactor
                .deregister(key)
                .expect("deregister a registered key");
            make_ready(&mut client, &watcher, b"after deregister");
            let tally = reactor.tally();
            let before = (tally.waits(), tally.empty());
            // The bytes are already there: a poller that still watches the
            // socket reports it at once; one that does not comes back empty
            // when the short timeout passes.
            let ran = reactor
                .turn(Some(Duration::from_millis(100)))
                .unwrap_or_else(|e| turn_failed("turn", e));
            let after = (tally.waits(), tally.empty());
            (ran, before, after)
        });
        assert!(
            ran.is_empty(),
            "turn() ran the callbacks {ran:?} of a source that had been deregistered\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
        assert_eq!(
            after.1 - before.1,
            after.0 - before.0,
            "the poller still reported the deregistered source: its wait woke up for a socket \
             nobody listens to any more. Dropping the source is not enough (another handle \
             kept the socket open, as dup'ed or shared sockets do): deregister must call \
             self.poller.delete(source) before it drops the source. That is also the promise \
             made to the unsafe `add`.\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
    }

    #[test]
    fn a_hung_up_client_is_removed_and_never_polled_again() {
        let (calls, first, later, len, dropped) = check("exercise-hang_up").run_sync(|| {
            let mut reactor = Reactor::new().expect("Reactor::new");
            let (client, server) = pair();
            let watcher = server.try_clone().expect("clone");
            let probe = DropProbe::new();
            let source = Probed {
                stream: server,
                _token: probe.token(),
            };
            let calls = Counter::new();
            let c = calls.clone();
            reactor
                .register(source, move |s: &mut Probed| {
                    c.add(1);
                    if drain(&mut s.stream) {
                        Next::Remove
                    } else {
                        Next::Keep
                    }
                })
                .expect("register");
            make_hung_up(client, &watcher);
            let first = reactor
                .turn(Some(PATIENCE))
                .unwrap_or_else(|e| turn_failed("turn 1", e));
            // A closed socket is readable forever: if it were still watched,
            // this turn would dispatch it again at once.
            let later = reactor
                .turn(Some(Duration::from_millis(200)))
                .unwrap_or_else(|e| turn_failed("turn 2", e));
            (calls.get(), first, later, reactor.len(), probe.dropped())
        });
        assert_eq!(
            first.len(),
            1,
            "the client hung up, which makes its socket readable (read returns Ok(0)); the \
             first turn must dispatch it, but it ran {first:?}\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
        assert!(
            later.is_empty() && calls == 1,
            "the callback returned Next::Remove, yet the closed client was dispatched again \
             ({calls} calls in all). A hung-up socket stays readable forever: on Next::Remove \
             turn() must call self.deregister(key) instead of re-arming\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
        assert!(
            len == 0 && dropped,
            "after Next::Remove the reactor still holds {len} source(s) (dropped: {dropped}). \
             deregister must delete it from the poller, remove it from the map and drop it\n  \
             (read: book/src/03-event-loop.md#exercise-hang_up)"
        );
    }
}

mod echo_server {
    use super::*;

    const CLIENTS: usize = 10;
    /// Round 1 of every client must be answered by then (a correct server
    /// needs a few milliseconds).
    const ROUND_ONE: Duration = Duration::from_millis(1500);
    /// How long a client that finished round 1 waits for the others.
    const GATE_PATIENCE: Duration = Duration::from_millis(1500);

    /// What one run of serve_echo with CLIENTS clients showed.
    struct Outcome {
        served_on: HashSet<ThreadId>,
        server_thread: ThreadId,
        waits: usize,
        empty: usize,
        left_registered: usize,
        replies: Vec<String>,
    }

    const ONE_AT_A_TIME: &str = "the server served the clients one at a time. With one \
        thread, register every client with the reactor and let turn() dispatch whichever is \
        ready; never loop on one client until it hangs up.\n  \
        (read: book/src/03-event-loop.md#exercise-echo_server)";

    /// Where the clients meet between round 1 and round 2: it opens when
    /// every client has finished round 1, and also lets everyone go as soon
    /// as one client failed (its own message is the diagnosis then).
    #[derive(Clone, Default)]
    struct RoundOne {
        state: Arc<(Mutex<(usize, usize)>, std::sync::Condvar)>,
    }

    impl RoundOne {
        /// This client finished round 1: wait for the others. `Err` when
        /// they do not all get there within the patience.
        fn done_and_wait(&self) -> Result<(), String> {
            let (lock, cond) = &*self.state;
            let mut s = lock.lock().unwrap();
            s.0 += 1;
            cond.notify_all();
            let (s, _) = cond
                .wait_timeout_while(s, GATE_PATIENCE, |s| s.0 < CLIENTS && s.1 == 0)
                .unwrap();
            if s.0 >= CLIENTS || s.1 > 0 {
                Ok(())
            } else {
                Err(format!(
                    "{ONE_AT_A_TIME} (only {} of {CLIENTS} clients got their round-1 reply \
                     while the others waited)",
                    s.0
                ))
            }
        }

        fn failed(&self) {
            let (lock, cond) = &*self.state;
            lock.lock().unwrap().1 += 1;
            cond.notify_all();
        }
    }

    /// One client: two rounds. Round 1 arrives in two pieces (the server
    /// must come back for the second piece); between the rounds every client
    /// waits until all of them have finished round 1.
    fn client(
        i: usize,
        addr: std::net::SocketAddr,
        all_did_round_one: RoundOne,
        tally: WaitTally,
        round_one_deadline: Instant,
    ) -> Result<String, String> {
        let mut s = TcpStream::connect(addr).map_err(|e| format!("client {i}: connect: {e}"))?;
        s.set_nodelay(true).ok();
        let no_reply = |what: &str, e: io::Error| {
            if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
                format!(
                    "client {i} sent {what:?} and got no reply in time. The one server \
                     thread is stuck somewhere: a blocking read or accept (call \
                     set_nonblocking(true) on the listener AND on every accepted stream), or \
                     the server serves one client until it hangs up before it looks at the \
                     next. (read: book/src/03-event-loop.md#exercise-echo_server)"
                )
            } else {
                format!(
                    "client {i} sent {what:?} and its connection failed: {e}. Did the server \
                     close it early? WouldBlock means \"nothing more for now\", not \"hung \
                     up\": return Next::Keep then, Next::Remove only on Ok(0). Or did \
                     serve_echo() return too soon? It must loop until all clients have \
                     connected AND every one of them has hung up. \
                     (read: book/src/03-event-loop.md#exercise-echo_server)"
                )
            }
        };
        // Every client gives up on round 1 at the same moment, so a server
        // that serves them one at a time fails in one go, not in a cascade.
        let exchange =
            |s: &mut TcpStream, text: &str, deadline: Instant| -> Result<String, String> {
                let left = deadline.saturating_duration_since(Instant::now());
                s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
                    .ok();
                s.write_all(text.as_bytes())
                    .map_err(|e| format!("client {i}: write: {e}"))?;
                let mut buf = vec![0u8; text.len()];
                match s.read_exact(&mut buf) {
                    Ok(()) => Ok(String::from_utf8_lossy(&buf).into_owned()),
                    Err(e) if e.kind() == ErrorKind::UnexpectedEof => Err(no_reply(
                        text,
                        io::Error::new(ErrorKind::ConnectionAborted, "the server hung up"),
                    )),
                    Err(e) => Err(no_reply(text, e)),
                }
            };
        // Round 1, in two pieces, so the server must come back to this client.
        let round_one = exchange(&mut s, &format!("hel{i}|"), round_one_deadline)
            .and_then(|a| exchange(&mut s, &format!("lo{i}|"), round_one_deadline).map(|b| (a, b)));
        let (a, b) = match round_one {
            Ok(ab) => ab,
            Err(e) => {
                all_did_round_one.failed();
                return Err(e);
            }
        };
        all_did_round_one.done_and_wait()?;
        // Nobody sends anything for a moment: a spinning loop shows itself.
        give_a_spinner_time_to_show(&tally, Duration::from_millis(200));
        let c = exchange(&mut s, &format!("bye{i}"), Instant::now() + PATIENCE)?;
        Ok(format!("{a}{b}{c}"))
    }

    fn run() -> Outcome {
        check("exercise-echo_server")
            .hint(
                "serve_echo() did not return after every client hung up. Return Next::Remove \
                 when read() gives Ok(0), count the clients still open, and stop the loop when \
                 all have connected and none is left open.",
            )
            .run_sync(|| {
                let (listener, addr) = testkit::net::listener();
                let served_on = Arc::new(Mutex::new(HashSet::new()));
                let seen = served_on.clone();
                let (tx, rx) = mpsc::channel();
                let server = thread::Builder::new()
                    .name("serve_echo".into())
                    .spawn(move || {
                        let mut reactor = Reactor::new().expect("Reactor::new");
                        tx.send(reactor.tally()).expect("send tally");
                        let res = serve_echo(&mut reactor, listener, CLIENTS, move |chunk| {
                            seen.lock().unwrap().insert(thread::current().id());
                            chunk.to_ascii_uppercase()
                        });
                        (res, reactor.len(), reactor.tally())
                    })
                    .expect("spawn the server thread");
                let server_thread = server.thread().id();
                let tally = rx.recv().expect("the server thread started");

                let round_one_deadline = Instant::now() + ROUND_ONE;
                let gate = RoundOne::default();
                let clients: Vec<_> = (0..CLIENTS)
                    .map(|i| {
                        let (g, t) = (gate.clone(), tally.clone());
                        thread::spawn(move || client(i, addr, g, t, round_one_deadline))
                    })
                    .collect();
                let mut replies = Vec::new();
                let mut problems = Vec::new();
                for c in clients {
                    match c.join() {
                        Ok(Ok(r)) => replies.push(r),
                        Ok(Err(msg)) => problems.push(msg),
                        Err(p) => problems.push(
                            testkit_panic_text(&*p)
                                .unwrap_or("a client panicked")
                                .to_string(),
                        ),
                    }
                }
                if !problems.is_empty() {
                    // If the server itself gave up (a todo!() or an error), say that.
                    let until = Instant::now() + Duration::from_secs(1);
                    while !server.is_finished() && Instant::now() < until {
                        thread::sleep(Duration::from_millis(5));
                    }
                    if server.is_finished() {
                        match server.join() {
                            Err(p) => std::panic::resume_unwind(p),
                            Ok((Err(e), _, _)) => panic!(
                                "serve_echo() returned an error: {e}. Every client callback \
                                 must handle its own errors (WouldBlock: keep, Ok(0) or an \
                                 error: remove) instead of ending the server.\n  \
                                 (read: book/src/03-event-loop.md#exercise-echo_server)"
                            ),
                            Ok(_) => {}
                        }
                    }
                    panic!("{}", summary(&problems));
                }
                let (res, left_registered, tally) = server.join().unwrap_or_else(|p| {
                    std::panic::resume_unwind(p);
                });
                res.expect("serve_echo() must return Ok(()) after every client hung up");
                Outcome {
                    served_on: served_on.lock().unwrap().clone(),
                    server_thread,
                    waits: tally.waits(),
                    empty: tally.empty(),
                    left_registered,
                    replies,
                }
            })
    }

    /// The clients' complaints, the first few in full.
    fn summary(problems: &[String]) -> String {
        let mut out = format!("{} of {CLIENTS} clients failed:", problems.len());
        for p in problems.iter().take(3) {
            out.push_str("\n  - ");
            out.push_str(p);
        }
        if problems.len() > 3 {
            out.push_str(&format!(
                "\n  - ... and {} more like these",
                problems.len() - 3
            ));
        }
        out
    }

    fn testkit_panic_text(p: &(dyn std::any::Any + Send)) -> Option<&str> {
        p.downcast_ref::<&str>()
            .copied()
            .or_else(|| p.downcast_ref::<String>().map(|s| s.as_str()))
    }

    #[test]
    fn echoes_every_client() {
        let out = run();
        let mut got = out.replies.clone();
        got.sort();
        let mut want: Vec<String> = (0..CLIENTS)
            .map(|i| format!("HEL{i}|LO{i}|BYE{i}"))
            .collect();
        want.sort();
        assert_eq!(
            got, want,
            "every client must get back exactly reply(chunk) for every chunk it sent\n  \
             (read: book/src/03-event-loop.md#exercise-echo_server)"
        );
    }

    #[test]
    fn serves_ten_clients_on_one_thread() {
        let out = run();
        assert_eq!(
            out.served_on,
            HashSet::from([out.server_thread]),
            "{CLIENTS} clients were served on {} thread(s), not all on the thread that called \
             serve_echo(). The reactor's point: one thread, one loop, every client\n  \
             (read: book/src/03-event-loop.md#exercise-echo_server)",
            out.served_on.len()
        );
    }

    #[test]
    fn sleeps_in_wait_instead_of_spinning() {
        let out = run();
        assert_eq!(
            out.empty, 0,
            "the loop called wait() {} times and {} of them came back with nobody ready: it \
             spins, asking \"anybody?\" over and over and burning a CPU core. Call \
             reactor.turn(None) so the thread sleeps until a socket is ready\n  \
             (read: book/src/03-event-loop.md#exercise-echo_server)",
            out.waits, out.empty
        );
    }

    #[test]
    fn deregisters_everything_before_it_returns() {
        let out = run();
        assert_eq!(
            out.left_registered, 0,
            "serve_echo() returned with {} source(s) still registered. Every client that hung \
             up must be removed (Next::Remove on Ok(0)), and the listener too once all \
             {CLIENTS} clients are in\n  \
             (read: book/src/03-event-loop.md#exercise-echo_server)",
            out.left_registered
        );
    }
}
