//! Self-check for chapter 14: who gets a seat?
//!
//! Run it: cargo run -p lesson14-capstone --example quiz14_seats

use std::sync::Arc;

use async_lock::Semaphore;

fn main() {
    // ANCHOR: quiz
    let seats = Arc::new(Semaphore::new(2));
    let mut seated = Vec::new();
    for client in 1..=4 {
        match seats.try_acquire_arc() {
            Some(permit) => {
                println!("client {client}: OK ready");
                seated.push(permit);
            }
            None => println!("client {client}: ERR busy"),
        }
    }
    seated.remove(0); // the first client leaves
    let late = seats.try_acquire_arc().is_some();
    println!("client 5 seated: {late}");
    // ANCHOR_END: quiz
}
