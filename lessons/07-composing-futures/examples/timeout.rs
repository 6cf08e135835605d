//! A timeout is a race against a timer: future::or(work, timer).
//! cargo run -p lesson07-composing-futures --example timeout
use std::cell::Cell;

use futures_lite::future;
use lesson07_composing_futures::{Timeline, ask, ms};
use smol::Timer;

fn main() {
    let timeline = Timeline::new();
    let ticks = Cell::new(0u32);
    smol::block_on(async {
        // ANCHOR: main
        // Work that takes 100 ms, with a 300 ms limit: the work wins.
        let fast = async { Ok(ask(&timeline, "fast", ms(100)).await) };
        let limit = async {
            Timer::after(ms(300)).await;
            Err("timed out")
        };
        println!("fast: {:?}", future::or(fast, limit).await);

        // Work that takes 2 s, with a 300 ms limit: the timer wins, and `or`
        // drops the slow work (watch for its [drop] line).
        let slow = async { Ok(ask(&timeline, "slow", ms(2000)).await) };
        let limit = async {
            Timer::after(ms(300)).await;
            Err("timed out")
        };
        // Something else to do on the same thread while we wait.
        let ticker = async {
            loop {
                Timer::after(ms(50)).await;
                ticks.set(ticks.get() + 1);
            }
        };
        let waited = future::or(slow, limit);
        println!("slow: {:?}", future::or(waited, ticker).await);
        // ANCHOR_END: main
    });
    println!(
        "\nWhile the slow work waited, a ticker on the same thread ticked {} times:\n\
         the timeout never blocked the thread.\n",
        ticks.get()
    );
    print!("{}", timeline.render());
}
