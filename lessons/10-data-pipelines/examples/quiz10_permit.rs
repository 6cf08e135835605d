//! Self-check for chapter 10: how many permits are free after each line?
//!
//! Run it: cargo run -p lesson10-data-pipelines --example quiz10_permit

use async_lock::Semaphore;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let sem = Semaphore::new(2);
        let free = |sem: &Semaphore| {
            // Take every free permit for a moment, to count them.
            let mut held = Vec::new();
            while let Some(g) = sem.try_acquire() {
                held.push(g);
            }
            held.len()
        };
        let _ = sem.acquire().await;
        println!("after `let _ =`: {} free", free(&sem));
        let _a = sem.acquire().await;
        println!("after `let _a =`: {} free", free(&sem));
        let b = sem.acquire().await;
        println!("after `let b =`: {} free", free(&sem));
        drop(b);
        println!("after drop(b): {} free", free(&sem));
    });
    // ANCHOR_END: quiz
}
