//! The reactor of lesson 03 with wakers in place of callbacks: a future
//! that finds nothing to read leaves its waker with the reactor, and the
//! reactor wakes it when the poller reports the socket readable. The thread
//! that runs `block_on` drives the reactor while it has nothing to poll.
//! cargo run -p lesson03-event-loop --example waker_reactor
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use polling::{Event, Events, Poller};

// ANCHOR: reactor
/// Lesson 03's reactor, but a ready key wakes a future instead of running
/// a callback.
struct Reactor {
    poller: Poller,
    events: RefCell<Events>,
    /// key -> the waker of the future waiting for that source.
    wakers: RefCell<HashMap<usize, Waker>>,
    added: RefCell<HashSet<usize>>,
}

impl Reactor {
    /// Called by a future that got `WouldBlock`: "wake me when `key` is
    /// readable". Stores the waker and arms the oneshot interest.
    fn wake_when_readable(&self, s: &TcpStream, key: usize, w: &Waker) {
        self.wakers.borrow_mut().insert(key, w.clone());
        if self.added.borrow_mut().insert(key) {
            // SAFETY: `forget` deletes the socket before main drops it.
            unsafe { self.poller.add(s, Event::readable(key)) }.unwrap();
        } else {
            self.poller.modify(s, Event::readable(key)).unwrap();
        }
    }

    /// One turn: sleep in wait() until a source is ready, then wake the
    /// futures that wait for the ready keys. No callbacks, no reads.
    fn turn(&self) {
        let mut events = self.events.borrow_mut();
        events.clear();
        self.poller.wait(&mut events, None).unwrap();
        for ev in events.iter() {
            let key = ev.key;
            if let Some(waker) = self.wakers.borrow_mut().remove(&key) {
                println!("reactor: key {key} is readable, waking its future");
                waker.wake();
            }
        }
    }

    /// Takes a source off the board before its owner closes it.
    fn forget(&self, s: &TcpStream, key: usize) {
        if self.added.borrow_mut().remove(&key) {
            self.poller.delete(s).unwrap();
        }
    }
}
// ANCHOR_END: reactor

// ANCHOR: future
/// Reads what has arrived; if nothing has, leaves its waker with the
/// reactor and returns Pending.
struct ReadSome<'a> {
    reactor: &'a Reactor,
    stream: &'a TcpStream,
    key: usize,
}

impl Future for ReadSome<'_> {
    type Output = io::Result<String>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut buf = [0u8; 64];
        match (&*self.stream).read(&mut buf) {
            Ok(n) => Poll::Ready(Ok(String::from_utf8_lossy(&buf[..n]).into())),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                println!("future: WouldBlock, my waker goes to the reactor");
                self.reactor
                    .wake_when_readable(self.stream, self.key, cx.waker());
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}
// ANCHOR_END: future

// ANCHOR: block_on
/// The waker of `block_on`: a flag. (A waker called from another thread
/// would also have to interrupt `wait()`, with `Poller::notify`.)
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Polls `fut` after every wake; in between, this thread drives the
/// reactor, which is where the wakes come from.
fn block_on<F: Future>(reactor: &Reactor, fut: F) -> F::Output {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let mut polls = 0;
    loop {
        if flag.0.swap(false, Ordering::SeqCst) {
            polls += 1;
            println!("block_on: poll #{polls}");
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return out;
            }
        }
        println!("block_on: Pending, so this thread sleeps in the reactor");
        reactor.turn();
    }
}
// ANCHOR_END: block_on

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let client = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        s.write_all(b"hello").unwrap();
    });
    let (stream, _) = listener.accept()?;
    stream.set_nonblocking(true)?;

    // ANCHOR: main
    let reactor = Reactor {
        poller: Poller::new()?,
        events: RefCell::new(Events::new()),
        wakers: RefCell::new(HashMap::new()),
        added: RefCell::new(HashSet::new()),
    };
    let read = ReadSome {
        reactor: &reactor,
        stream: &stream,
        key: 7,
    };
    let text = block_on(&reactor, read)?;
    println!("main: got {text:?}");
    // ANCHOR_END: main

    reactor.forget(&stream, 7);
    client.join().unwrap();
    Ok(())
}
