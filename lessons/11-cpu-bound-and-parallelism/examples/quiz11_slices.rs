//! Self-check for chapter 11: what does the log say?
//!
//! Run it: cargo run -p lesson11-cpu-bound-and-parallelism --example quiz11_slices

use std::cell::RefCell;

use futures_lite::future;
use smol::LocalExecutor;

fn main() {
    // ANCHOR: quiz
    let log = RefCell::new(String::new());
    let ex = LocalExecutor::new();
    let work = ex.spawn(async {
        for _slice in 0..3 {
            log.borrow_mut().push('W'); // one slice of work
            future::yield_now().await;
        }
    });
    let other = ex.spawn(async {
        for _turn in 0..5 {
            log.borrow_mut().push('o');
            future::yield_now().await;
        }
    });
    smol::block_on(ex.run(future::zip(work, other)));
    println!("{}", log.borrow());
    // ANCHOR_END: quiz
}
