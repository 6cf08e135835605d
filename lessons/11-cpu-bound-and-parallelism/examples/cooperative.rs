//! Work that stays on the executor can still be fair: do it in slices and
//! yield between them.
//! cargo run -p lesson11-cpu-bound-and-parallelism --example cooperative
use std::cell::{Cell, RefCell};

use futures_lite::future;
use lesson11_cpu_bound_and_parallelism::{Checksum, MIB, bytes, checksum};
use smol::LocalExecutor;
use testkit::probes::count_polls;

const SLICE: usize = 128 * 1024;

// ANCHOR: sliced
/// The checksum of `data`, `SLICE` bytes at a time. Writes `S` to the log
/// for each slice; when `polite`, yields to the other tasks after each.
async fn sliced(data: &[u8], polite: bool, log: &RefCell<String>) -> u64 {
    let mut sum = Checksum::new();
    for part in data.chunks(SLICE) {
        sum.update(part);
        log.borrow_mut().push('S');
        if polite {
            future::yield_now().await;
        }
    }
    sum.finish()
}
// ANCHOR_END: sliced

fn run(polite: bool) {
    let data = bytes(MIB);
    let log = RefCell::new(String::new());
    let done = Cell::new(false);
    // ANCHOR: other
    let ex = LocalExecutor::new();
    let (job, polls) = count_polls(sliced(&data, polite, &log));
    let hash = ex.spawn(async {
        let sum = job.await;
        done.set(true);
        sum
    });
    // Another task on the same thread: writes `t` every time it gets a turn.
    let _other = ex.spawn(async {
        while !done.get() {
            log.borrow_mut().push('t');
            future::yield_now().await;
        }
    });
    let sum = future::block_on(ex.run(hash));
    // ANCHOR_END: other
    assert_eq!(sum, checksum(&data), "slicing does not change the checksum");
    println!("  log:   {}", log.borrow());
    println!(
        "  polls of the hash: {}; turns of the other task: {}",
        polls.get(),
        log.borrow().matches('t').count()
    );
}

fn main() {
    println!("1 MiB in slices of 128 KiB, never yielding:");
    run(false);
    println!("\n1 MiB in slices of 128 KiB, yield_now() after each slice:");
    run(true);
    println!(
        "\nS = one slice of the hash, t = one turn of the other task.\n\
         Without a yield the other task waits for the whole hash; with one, they alternate."
    );
}
