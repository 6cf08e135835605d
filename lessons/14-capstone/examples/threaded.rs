//! The baseline: the same protocol, one OS thread per client (std::net and
//! std::thread, 64 KiB stacks). Binds 127.0.0.1 on a free port, prints
//! `listening on ADDR`, serves for `--seconds` (default 10, at most 120),
//! then exits.
//!
//! cargo run --release -p lesson14-capstone --example threaded -- --seconds 10
use std::net::TcpListener;
use std::time::Duration;

use lesson14_capstone::arg;
use lesson14_capstone::capstone::Config;
use lesson14_capstone::serve_threaded;

fn main() -> anyhow::Result<()> {
    let seconds: u64 = arg("--seconds", 10).min(120);
    let cfg = Config {
        max_connections: arg("--max-connections", 12_000),
        idle_timeout: Duration::from_secs(arg("--idle-seconds", 30)),
        ..Config::default()
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);
    std::thread::spawn(move || serve_threaded(listener, cfg));
    std::thread::sleep(Duration::from_secs(seconds));
    println!("time is up, exiting");
    Ok(())
}
