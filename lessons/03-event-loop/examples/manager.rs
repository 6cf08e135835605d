//! The manager loop: one thread, one poller, three guests. Each turn prints
//! which sources were ready; everybody else was left alone.
//! cargo run -p lesson03-event-loop --example manager
use std::net::TcpListener;

use lesson03_event_loop::{GUESTS, manager, start_guests};

fn main() -> std::io::Result<()> {
    // ANCHOR: main
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let guests = start_guests(listener.local_addr()?);
    // One thread serves every guest: `None` = sleep in wait() until an event.
    let stats = manager(listener, GUESTS, None, true)?;
    // ANCHOR_END: main
    for g in guests {
        g.join().expect("a guest panicked");
    }
    println!(
        "\n{} turns of the loop, {} of them with nobody ready; {} sources served, all on thread {:?}.",
        stats.turns,
        stats.empty_turns,
        stats.served,
        std::thread::current().id()
    );
    Ok(())
}
