//! Self-check for chapter 07: a timeout that fires. In what order do the
//! lines print?
//!
//! Run it: cargo run -p lesson07-composing-futures --example quiz07_timeout

use std::time::Duration;

use smol::Timer;

// ANCHOR: quiz
struct Loud(&'static str);

impl Drop for Loud {
    fn drop(&mut self) {
        println!("drop: {}", self.0);
    }
}

fn main() {
    let work = async {
        let _guard = Loud("work");
        println!("work: start");
        Timer::after(Duration::from_secs(5)).await;
        println!("work: end");
        Ok("done")
    };
    let limit = async {
        Timer::after(Duration::from_millis(50)).await;
        Err("timed out")
    };
    let result = smol::block_on(futures_lite::future::or(work, limit));
    println!("result: {result:?}");
}
// ANCHOR_END: quiz
