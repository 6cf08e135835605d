//! Self-check for chapter 12: which of these calls get the lock?
//!
//! Run it: cargo run -p lesson12-locks-and-deadlocks --example quiz12_readers

use async_lock::RwLock;

fn main() {
    // ANCHOR: quiz
    let menu = RwLock::new("soup");
    let r1 = menu.try_read();
    let r2 = menu.try_read();
    let w = menu.try_write();
    println!(
        "r1 {}, r2 {}, w {}",
        r1.is_some(),
        r2.is_some(),
        w.is_some()
    );
    drop((r1, r2));
    let w = menu.try_write();
    let r3 = menu.try_read();
    println!("w {}, r3 {}", w.is_some(), r3.is_some());
    // ANCHOR_END: quiz
}
