//! Lesson 03 demos share this: a tiny echo "manager" written straight on
//! `polling::Poller`, and a few scripted guests (client threads) to keep it
//! busy. Everything stays on 127.0.0.1 and ends by itself in about a second.

mod given;
mod watched;
pub use given::{Next, Registered, Slot};
pub use watched::{WaitTally, WatchedPoller};

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use polling::{Event, Events, Poller};

/// The key of the listening socket; clients get 1, 2, 3, ...
pub const LISTENER: usize = 0;

/// What one run of the manager loop did.
#[derive(Debug, Default)]
pub struct LoopStats {
    /// Calls to `wait`: turns of the loop.
    pub turns: usize,
    /// Turns in which nobody was ready.
    pub empty_turns: usize,
    /// Callbacks run: sources served.
    pub served: usize,
}

/// One guest: when it arrives and the lines it sends, each after a pause
/// (in milliseconds).
struct Script {
    arrive_after: Duration,
    lines: &'static [(u64, &'static str)],
}

const SCRIPTS: [Script; 3] = [
    Script {
        arrive_after: Duration::from_millis(0),
        lines: &[(100, "hi, I am ada"), (300, "ada again")],
    },
    Script {
        arrive_after: Duration::from_millis(50),
        lines: &[(150, "bob here"), (100, "bye from bob")],
    },
    Script {
        arrive_after: Duration::from_millis(60),
        lines: &[(380, "cy says hello")],
    },
];

/// How many guests [`start_guests`] sends.
pub const GUESTS: usize = SCRIPTS.len();

/// Starts the guests, one thread each: they connect to `addr`, send their
/// lines with pauses in between, read each echo and hang up.
pub fn start_guests(addr: SocketAddr) -> Vec<JoinHandle<()>> {
    SCRIPTS
        .iter()
        .map(|script| {
            std::thread::spawn(move || {
                std::thread::sleep(script.arrive_after);
                let mut s = TcpStream::connect(addr).expect("guest: connect");
                s.set_read_timeout(Some(Duration::from_secs(3))).ok();
                for (pause, line) in script.lines {
                    std::thread::sleep(Duration::from_millis(*pause));
                    s.write_all(line.as_bytes()).expect("guest: write");
                    let mut buf = vec![0u8; line.len()];
                    s.read_exact(&mut buf).expect("guest: read the echo");
                }
            })
        })
        .collect()
}

/// How the demo prints a key.
fn name(key: usize) -> String {
    match key {
        LISTENER => "listener".to_string(),
        k => format!("client {k}"),
    }
}

// ANCHOR: manager
/// The manager loop on one thread: wait until somebody needs attention,
/// serve exactly those, re-arm them, repeat, until `guests` guests have come
/// and gone. `timeout` is what `wait` gets (`None` = sleep until an event).
pub fn manager(
    listener: TcpListener,
    guests: usize,
    timeout: Option<Duration>,
    log: bool,
) -> io::Result<LoopStats> {
    let poller = Poller::new()?;
    listener.set_nonblocking(true)?;
    // SAFETY: `listener` outlives the poller's interest: we delete it below.
    unsafe { poller.add(&listener, Event::readable(LISTENER))? };

    let mut clients: HashMap<usize, TcpStream> = HashMap::new();
    let mut events = Events::new();
    let (mut arrived, mut next_key) = (0, LISTENER + 1);
    let mut stats = LoopStats::default();

    while arrived < guests || !clients.is_empty() {
        // "Who needs attention?" The thread sleeps in here.
        events.clear();
        poller.wait(&mut events, timeout)?;
        stats.turns += 1;
        let ready: Vec<usize> = events.iter().map(|ev| ev.key).collect();
        if ready.is_empty() {
            stats.empty_turns += 1;
            continue;
        }
        if log {
            let names: Vec<String> = ready.iter().map(|&k| name(k)).collect();
            println!("turn {:>2}: ready: {}", stats.turns, names.join(", "));
        }
        for key in ready {
            stats.served += 1;
            if key == LISTENER {
                // Accept everybody who is knocking, until WouldBlock.
                while let Ok((stream, _)) = listener.accept() {
                    stream.set_nonblocking(true)?;
                    // SAFETY: deleted before it is dropped (on EOF below).
                    unsafe { poller.add(&stream, Event::readable(next_key))? };
                    if log {
                        println!("          listener: accepted client {next_key}");
                    }
                    clients.insert(next_key, stream);
                    (arrived, next_key) = (arrived + 1, next_key + 1);
                }
                if arrived < guests {
                    poller.modify(&listener, Event::readable(LISTENER))?;
                } else {
                    poller.delete(&listener)?;
                }
                continue;
            }
            let stream = clients.get_mut(&key).expect("a registered client");
            let mut buf = [0u8; 512];
            match stream.read(&mut buf) {
                Ok(0) => {
                    // EOF: stop watching, then close.
                    poller.delete(&*stream)?;
                    clients.remove(&key);
                    if log {
                        println!("          client {key}: hung up (read gave 0 bytes), deleted");
                    }
                }
                Ok(n) => {
                    stream.write_all(&buf[..n])?;
                    if log {
                        let text = String::from_utf8_lossy(&buf[..n]);
                        println!("          client {key}: echoed {text:?}");
                    }
                    // Oneshot: re-arm, or we never hear from this client again.
                    poller.modify(&*stream, Event::readable(key))?;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    poller.modify(&*stream, Event::readable(key))?;
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(stats)
}
// ANCHOR_END: manager
