//! What one idle client costs the async server's heap, allocation by
//! allocation. Runs the reference server in this process, connects
//! `--clients` clients that stay silent after the greeting, and prints the
//! heap they added, grouped by allocation size, per client.
//!
//! cargo run --release -p sol14-capstone --example idle_cost -- --clients 1000
//!
//! Chapter 14's "memory budget of a connection" comes from this program.
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use async_executor::Executor;
use capstone::{Config, Shutdown, Stats, handle_client, serve};
use clap::Parser;

/// Counts live heap allocations by exact size (sizes from 4 KiB up share
/// the last slot).
struct BySize;

const SLOTS: usize = 4097;
static LIVE: [AtomicIsize; SLOTS] = [const { AtomicIsize::new(0) }; SLOTS];

fn slot(layout: Layout) -> usize {
    layout.size().min(SLOTS - 1)
}

// SAFETY: forwards every call to the system allocator unchanged; the
// counting touches only static atomics.
unsafe impl GlobalAlloc for BySize {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE[slot(layout)].fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE[slot(layout)].fetch_sub(1, Ordering::Relaxed);
        // SAFETY: ptr came from System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static HEAP: BySize = BySize;

fn live() -> Vec<isize> {
    LIVE.iter().map(|n| n.load(Ordering::SeqCst)).collect()
}

/// What one idle client costs the async server's heap.
#[derive(Parser)]
struct Args {
    /// Idle clients to connect (after a few warm-up ones).
    #[arg(long, default_value_t = 1000)]
    clients: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let n = args.clients.clamp(10, 5000);
    let cfg = Config::default();

    // The task of one client holds handle_client's future: every local
    // variable that lives across an .await, in its largest state.
    let future_size = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let _client = std::net::TcpStream::connect(listener.local_addr()?)?;
        let (served, _) = listener.accept()?;
        let stream = async_net::TcpStream::try_from(served)?;
        let shutdown = Shutdown::new();
        std::mem::size_of_val(&handle_client(stream, &cfg, &shutdown))
    };

    let ex = Arc::new(Executor::new());
    let shutdown = Shutdown::new();
    let stats = Stats::new();
    let listener = smol::block_on(async_net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    {
        let (ex, shutdown, stats, cfg) = (ex.clone(), shutdown.clone(), stats.clone(), cfg.clone());
        std::thread::spawn(move || {
            smol::block_on(ex.run(serve(&ex, listener, cfg, stats, shutdown)))
        });
    }
    let connect = |clients: &mut Vec<BufReader<std::net::TcpStream>>| -> anyhow::Result<()> {
        let stream = std::net::TcpStream::connect(addr).context("connecting")?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut reader = BufReader::new(stream);
        let mut greeting = String::new();
        reader
            .read_line(&mut greeting)
            .context("waiting for the greeting")?;
        clients.push(reader);
        Ok(())
    };
    let mut clients = Vec::new();
    // Warm up: the first clients grow the reactor's and executor's tables.
    for _ in 0..10 {
        connect(&mut clients)?;
    }
    let wait_active = |want: usize| -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while stats.snapshot().active != want {
            if Instant::now() > deadline {
                bail!("the server never had {want} clients at once");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    };
    wait_active(clients.len())?;
    let before = live();
    // This thread's own allocations (the Vec and the clients' buffers) are
    // counted too: they are measured apart and taken out below.
    let mine_before = live();
    let mut mine: Vec<BufReader<std::net::TcpStream>> = Vec::with_capacity(n);
    let mine_after = live();
    for _ in 0..n {
        connect(&mut mine)?;
    }
    wait_active(clients.len() + n)?;
    std::thread::sleep(Duration::from_millis(200));
    let after = live();

    // Per size: what the server added, without this thread's client side
    // (one BufReader buffer of 8 KiB per client, and the Vec).
    let mut by_size = BTreeMap::new();
    for size in 0..SLOTS {
        let mut added = after[size] - before[size];
        added -= mine_after[size] - mine_before[size];
        if size == SLOTS - 1 {
            added -= n as isize; // our clients' 8 KiB buffers
        }
        if added != 0 {
            by_size.insert(size, added);
        }
    }
    println!("{n} idle clients (greeted, then silent); the server's heap per client:");
    println!();
    println!("| allocation size | allocations per client | bytes per client |");
    println!("|---|---|---|");
    let mut total = 0.0;
    for (size, count) in &by_size {
        let per = *count as f64 / n as f64;
        if per.abs() < 0.05 {
            continue;
        }
        let label = if *size == SLOTS - 1 {
            "4 KiB or more (counted as 4 KiB)".to_string()
        } else {
            format!("{size} B")
        };
        let bytes = per * *size as f64;
        total += bytes;
        println!("| {label} | {per:.2} | {bytes:.0} |");
    }
    println!("| **all** | | **{total:.0}** |");
    println!();
    println!("handle_client's future: {future_size} bytes (it lives inside the task)");
    println!("Config::default(): queue_len {}", cfg.queue_len);
    shutdown.trigger();
    drop(mine);
    drop(clients);
    Ok(())
}
