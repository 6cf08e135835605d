//! A load generator for the capstone protocol: opens `--connections`
//! clients to `--addr` (127.0.0.1 only), keeps them all connected, and for
//! `--seconds` each one sends `ECHO` requests with `--think-ms` of pause
//! between them. Then every client says QUIT and the latency of every
//! request (send to reply) is reported as p50 / p99 / max.
//!
//! Bounded: at most 20,000 connections and 60 seconds; it stops by itself.
//!
//! cargo run --release -p sol14-capstone --example loadgen -- --addr 127.0.0.1:PORT --connections 1000 --seconds 3
use std::net::SocketAddr;

use clap::Parser;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use async_executor::Executor;
use async_net::TcpStream;
use capstone::{GREETING, Shutdown, with_idle_timeout};
use futures_lite::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::Timer;

/// What one client measured.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    failed: Option<String>,
}

/// Loads a capstone server on this machine with many mostly idle clients
/// and reports the latency of their requests.
#[derive(Parser)]
struct Args {
    /// The server's address (loopback only), as the server printed it.
    #[arg(long, default_value = "127.0.0.1:7000")]
    addr: SocketAddr,
    /// How many clients stay connected at once (at most 20,000).
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// How long every client sends requests (at most 60).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// The pause of each client between two requests, in ms.
    #[arg(long, default_value_t = 1000)]
    think_ms: u64,
    /// Threads that run the clients.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// How many clients may be connecting at the same moment.
    #[arg(long, default_value_t = 64)]
    connect_at_once: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let addr = args.addr;
    if !addr.ip().is_loopback() {
        bail!("--addr must be a loopback address (127.0.0.0/8): this tool only loads this machine");
    }
    // One connection first: no server, one line, not 1,000 failures.
    if let Err(e) = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
        eprintln!(
            "no server at {addr} ({e}); start one first, e.g. `cargo run --release -p sol14-capstone --example server`, and pass the address it prints"
        );
        std::process::exit(1);
    }
    let conns: usize = args.connections.clamp(1, 20_000);
    let seconds: f64 = args.seconds.clamp(0.1, 60.0);
    let think = Duration::from_millis(args.think_ms);
    let threads: usize = args.threads.clamp(1, 16);
    let connecting: usize = args.connect_at_once.max(1);

    let ex = Arc::new(Executor::new());
    let done = Shutdown::new(); // the executor threads stop when this fires
    let connected = Arc::new(AtomicUsize::new(0));
    let go = Shutdown::new(); // fires when every client is connected
    let gate = Arc::new(async_lock::Semaphore::new(connecting));

    let t0 = Instant::now();
    let tallies = std::thread::scope(|s| {
        for _ in 1..threads {
            let (ex, done) = (ex.clone(), done.clone());
            s.spawn(move || smol::block_on(ex.run(done.wait())));
        }
        smol::block_on(ex.run(async {
            // ANCHOR: clients
            let clients: Vec<_> = (0..conns)
                .map(|id| {
                    let (gate, connected, go) = (gate.clone(), connected.clone(), go.clone());
                    // Spread the clients over the think time, so they do not
                    // all ask at the same instant.
                    let offset = think.mul_f64(id as f64 / conns as f64);
                    ex.spawn(async move {
                        let mut tally = Tally::default();
                        let plan = Plan {
                            addr,
                            id,
                            think,
                            offset,
                            seconds,
                        };
                        if let Err(e) = client(plan, &gate, &connected, &go, &mut tally).await {
                            tally.failed = Some(format!("{e:#}"));
                        }
                        tally
                    })
                })
                .collect();
            // ANCHOR_END: clients
            // Wait until every client is connected (or has failed), then go.
            loop {
                let now = connected.load(Ordering::SeqCst);
                let finished = clients.iter().filter(|t| t.is_finished()).count();
                if now + finished >= conns || t0.elapsed() > Duration::from_secs(30) {
                    break;
                }
                Timer::after(Duration::from_millis(20)).await;
            }
            println!(
                "{} of {conns} clients connected in {:.2} s; measuring for {seconds} s",
                connected.load(Ordering::SeqCst),
                t0.elapsed().as_secs_f64()
            );
            go.trigger();
            let mut tallies = Vec::with_capacity(conns);
            for c in clients {
                tallies.push(c.await);
            }
            done.trigger();
            tallies
        }))
    });

    let mut all: Vec<u32> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    all.sort_unstable();
    let failures: Vec<&String> = tallies.iter().filter_map(|t| t.failed.as_ref()).collect();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        let i = ((all.len() as f64 - 1.0) * p).round() as usize;
        f64::from(all[i]) / 1000.0
    };
    println!(
        "requests: {} ({:.0}/s), failed clients: {}",
        all.len(),
        all.len() as f64 / seconds,
        failures.len()
    );
    if let Some(first) = failures.first() {
        println!("first failure: {first}");
    }
    println!(
        "latency ms: p50 {:.3}  p99 {:.3}  max {:.3}",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    // One line for scripts (bench.sh reads it).
    println!(
        "RESULT connections={} requests={} failed={} p50_ms={:.3} p99_ms={:.3}",
        conns - failures.len(),
        all.len(),
        failures.len(),
        pct(0.50),
        pct(0.99)
    );
    Ok(())
}

/// What one client does.
struct Plan {
    addr: SocketAddr,
    id: usize,
    think: Duration,
    offset: Duration,
    seconds: f64,
}

// ANCHOR: client
/// One client: connect and get the greeting (at most `--connect-at-once`
/// clients at a time: the server's listen backlog is short), wait until
/// everyone is connected, then ask and time until the window closes, QUIT.
async fn client(
    plan: Plan,
    gate: &async_lock::Semaphore,
    connected: &AtomicUsize,
    go: &Shutdown,
    tally: &mut Tally,
) -> Result<()> {
    let Plan {
        addr,
        id,
        think,
        offset,
        seconds,
    } = plan;
    // Never wait forever: a lost connection or a stuck server is a failure
    // to report, not a hang.
    let limit = Duration::from_secs(10);
    let stream = {
        let _turn = gate.acquire().await;
        let stream = with_idle_timeout(limit, TcpStream::connect(addr))
            .await?
            .with_context(|| format!("client {id}: connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        let mut reader = BufReader::with_capacity(256, stream.clone());
        let mut line = String::new();
        with_idle_timeout(limit, reader.read_line(&mut line))
            .await
            .context("waiting for the greeting")?
            .context("reading the greeting")?;
        (stream, reader, line)
    };
    let (mut writer, mut reader, mut line) = stream;
    if line.trim_end() != GREETING {
        bail!(
            "client {id}: expected {GREETING:?}, got {:?}",
            line.trim_end()
        );
    }
    connected.fetch_add(1, Ordering::SeqCst);
    go.wait().await;
    let start = Instant::now();
    let window = Duration::from_secs_f64(seconds);
    Timer::after(offset).await;
    let mut seq = 0u64;
    while start.elapsed() < window {
        let request = format!("ECHO {id}-{seq}\n");
        let sent = Instant::now();
        writer
            .write_all(request.as_bytes())
            .await
            .context("sending")?;
        line.clear();
        with_idle_timeout(limit, reader.read_line(&mut line))
            .await
            .context("waiting for a reply")?
            .context("reading a reply")?;
        let took = sent.elapsed();
        if line.trim_end() != &request[5..request.len() - 1] {
            bail!("client {id}: bad reply {line:?} to {request:?}");
        }
        tally
            .latencies_us
            .push(took.as_micros().min(u128::from(u32::MAX)) as u32);
        seq += 1;
        Timer::after(think).await;
    }
    writer.write_all(b"QUIT\n").await.context("sending QUIT")?;
    line.clear();
    with_idle_timeout(limit, reader.read_line(&mut line))
        .await
        .context("waiting for BYE")?
        .context("reading BYE")?;
    Ok(())
}
// ANCHOR_END: client
