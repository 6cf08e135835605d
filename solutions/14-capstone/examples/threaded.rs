//! The baseline: the same protocol, one OS thread per client (std::net and
//! std::thread, 64 KiB stacks). Binds 127.0.0.1 on a free port, prints
//! `listening on ADDR`, serves for `--seconds` (default 10, at most 120),
//! then exits.
//!
//! cargo run --release -p sol14-capstone --example threaded -- --seconds 10
use std::net::TcpListener;
use std::time::Duration;

use capstone::Config;
use clap::Parser;
use lesson14_capstone::serve_threaded;

/// The thread-per-connection baseline on 127.0.0.1: the same protocol and
/// limits as the async server, one OS thread per client. It stops by itself.
#[derive(Parser)]
struct Args {
    /// Serve this long, then exit (at most 120).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Clients served at once; more are refused.
    #[arg(long, default_value_t = 12_000)]
    max_connections: usize,
    /// A client silent this long is disconnected.
    #[arg(long, default_value_t = 30)]
    idle_seconds: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let seconds = args.seconds.min(120);
    let cfg = Config {
        max_connections: args.max_connections,
        idle_timeout: Duration::from_secs(args.idle_seconds),
        ..Config::default()
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);
    std::thread::spawn(move || serve_threaded(listener, cfg));
    std::thread::sleep(Duration::from_secs(seconds));
    println!("time is up, exiting");
    Ok(())
}
