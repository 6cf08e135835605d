//! The async server (the reference solution of this lesson) as a process,
//! for the load generator and the benchmark. Binds 127.0.0.1 on a free
//! port, prints `listening on ADDR`, serves for `--seconds` (default 10, at
//! most 120), then shuts down gracefully: stops accepting, drains, exits.
//!
//! cargo run --release -p lesson14-capstone --example server -- --threads 2 --seconds 10
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_executor::Executor;
use lesson14_capstone::arg;
use lesson14_capstone::capstone::{Config, Shutdown, Stats, serve};

fn main() -> anyhow::Result<()> {
    let threads: usize = arg("--threads", 2).clamp(1, 64);
    let seconds: u64 = arg("--seconds", 10).min(120);
    let cfg = Config {
        max_connections: arg("--max-connections", 12_000),
        idle_timeout: Duration::from_secs(arg("--idle-seconds", 30)),
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
        smol::block_on(ex.run(serve(&ex, listener, cfg, stats.clone(), shutdown.clone())))
    })?;
    // ANCHOR_END: main
    println!("shut down gracefully: {:?}", stats.snapshot());
    Ok(())
}
