//! The same guests twice: once with a manager who sleeps in wait(None), once
//! with one who asks "anybody?" in a loop (a zero timeout). Compare the turns.
//! cargo run -p lesson03-event-loop --example spin
use std::net::TcpListener;
use std::time::{Duration, Instant};

use lesson03_event_loop::{GUESTS, LoopStats, manager, start_guests};

fn run(timeout: Option<Duration>) -> std::io::Result<(LoopStats, Duration)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let guests = start_guests(listener.local_addr()?);
    let started = Instant::now();
    let stats = manager(listener, GUESTS, timeout, false)?;
    let took = started.elapsed();
    for g in guests {
        g.join().expect("a guest panicked");
    }
    Ok((stats, took))
}

fn main() -> std::io::Result<()> {
    // ANCHOR: main
    let (sleeper, t1) = run(None)?;
    let (spinner, t2) = run(Some(Duration::ZERO))?;
    // ANCHOR_END: main
    println!();
    for (who, s, t) in [
        ("wait(None)   ", sleeper, t1),
        ("wait(ZERO)   ", spinner, t2),
    ] {
        println!(
            "{who} {:>9} turns, {:>9} empty, {:>2} sources served, {:>4} ms",
            s.turns,
            s.empty_turns,
            s.served,
            t.as_millis()
        );
    }
    println!("\nSame guests, same work served; the spinner burned a CPU core asking \"anybody?\".");
    Ok(())
}
