//! Lesson 14 gives this: the limits, the protocol and the types of the
//! capstone ([`given`], re-exported here; the exercise and the solution
//! re-export them in turn), and the thread-per-connection baseline server,
//! speaking the same protocol as the async server the learner writes. The
//! async server itself (the reference solution) runs as
//! `cargo run --release -p sol14-capstone --example server`.

pub mod given;
pub use given::{
    ActiveGuard, BUSY, Config, End, GREETING, IDLE, Idle, Line, Reply, SHUTTING_DOWN, Shutdown,
    SlowReader, Snapshot, Stats, respond, too_long,
};

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of one connection thread in the baseline. The default (2 MiB
/// of address space each) would reserve 20 GiB for 10,000 threads; this
/// protocol needs a few KiB.
pub const THREAD_STACK: usize = 64 * 1024;

// ANCHOR: threaded
/// The baseline: one OS thread per client, blocking reads and writes. The
/// same limits as the async server: `max_connections` (over it: [`BUSY`],
/// close), `max_line`, and `idle_timeout` as the socket's read and write
/// timeouts. Runs until the process ends.
pub fn serve_threaded(listener: TcpListener, cfg: Config) -> io::Result<()> {
    let cfg = Arc::new(cfg);
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                eprintln!("accept failed: {e}");
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= cfg.max_connections {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.write_all(format!("{BUSY}\n").as_bytes());
            continue;
        }
        let (cfg, seat) = (cfg.clone(), active.clone());
        let spawned = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn(move || {
                if let Err(e) = handle_blocking(stream, &cfg) {
                    // Resets and timeouts are normal for a server; keep quiet.
                    let _ = e;
                }
                seat.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            // Out of threads (or memory for their stacks): this is where the
            // model hits the wall.
            eprintln!("could not spawn a connection thread: {e}");
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

fn handle_blocking(stream: TcpStream, cfg: &Config) -> io::Result<()> {
    stream.set_read_timeout(Some(cfg.idle_timeout))?;
    stream.set_write_timeout(Some(cfg.idle_timeout))?;
    stream.set_nodelay(true)?;
    // `&TcpStream` reads and writes: one file descriptor per client (a
    // try_clone() would use two, and 10,000 clients would hit the fd limit).
    let mut writer = &stream;
    let mut reader = BufReader::new(&stream);
    writeln!(writer, "{GREETING}")?;
    let limit = u64::try_from(cfg.max_line).unwrap_or(u64::MAX) + 1;
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                let _ = writeln!(writer, "{IDLE}");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if line.len() > cfg.max_line {
            writeln!(writer, "{}", too_long(cfg.max_line))?;
            return Ok(());
        }
        match respond(&line) {
            Reply::Line(reply) => writeln!(writer, "{reply}")?,
            Reply::Close(reply) => {
                writeln!(writer, "{reply}")?;
                return Ok(());
            }
        }
    }
}
// ANCHOR_END: threaded
