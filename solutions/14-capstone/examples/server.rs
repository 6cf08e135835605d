//! The async server (the reference solution of this lesson) as a process,
//! for the load generator and the benchmark. Binds 127.0.0.1 on a free
//! port, prints `listening on ADDR`, serves for `--seconds` (default 10, at
//! most 120), then shuts down gracefully: stops accepting, drains, exits.
//!
//! cargo run --release -p sol14-capstone --example server -- --threads 2 --seconds 10
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_executor::Executor;
use capstone::{Config, Shutdown, Stats, serve};
use clap::Parser;

/// The capstone's async server (the reference solution) on 127.0.0.1, for
/// the load generator and the benchmark. It stops by itself.
#[derive(Parser)]
struct Args {
    /// Threads that run the executor.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Serve this long, then shut down gracefully (at most 120).
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
    let threads = args.threads.clamp(1, 64);
    let seconds = args.seconds.min(120);
    let cfg = Config {
        max_connections: args.max_connections,
        idle_timeout: Duration::from_secs(args.idle_seconds),
        ..Config::default()
    };
    // ANCHOR: main
    let ex = Arc::new(Executor::new());
    let shutdown = Shutdown::new();
    let stats = Stats::new();
    let listener = smol::block_on(async_net::TcpListener::bind("127.0.0.1:0"))
        .context("binding 127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);

    // A deadline instead of Ctrl-C handling: the demo always ends by itself.
    let sd = shutdown.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(seconds));
        sd.trigger();
    });

    // `threads` threads run the executor; this one runs `serve` on it too.
    std::thread::scope(|s| -> anyhow::Result<()> {
        for _ in 1..threads {
            let (ex, sd) = (ex.clone(), shutdown.clone());
            s.spawn(move || smol::block_on(ex.run(sd.wait())));
        }
        let server = serve(&ex, listener, cfg, stats.clone(), shutdown.clone());
        smol::block_on(ex.run(server))
    })?;
    // ANCHOR_END: main
    println!("shut down gracefully: {:?}", stats.snapshot());
    Ok(())
}
