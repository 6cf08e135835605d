//! Drive one callback-backed future by hand, with a waker we wrote
//! ourselves (std::task::Wake), and watch the Pending -> wake -> Ready dance.
//! cargo run -p lesson04-callbacks-vs-futures --example poll_by_hand
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Instant;

use lesson04_callbacks_vs_futures::{Kitchen, Timeline, ask};

// ANCHOR: waker
/// A waker that unparks the thread that polls, and says who woke it.
struct Unparker {
    poller: Thread,
    t0: Instant,
}

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        println!(
            "{:>4} ms  waker: woken by thread {:?}",
            self.t0.elapsed().as_millis(),
            thread::current().name().unwrap_or("?")
        );
        self.poller.unpark();
    }
}
// ANCHOR_END: waker

fn main() {
    let timeline = Timeline::new();
    let kitchen = Kitchen::new(&timeline);
    let t0 = Instant::now();
    // ANCHOR: main
    let waker = Waker::from(Arc::new(Unparker {
        poller: thread::current(),
        t0,
    }));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(ask(|done| kitchen.chop("onion", done)));
    for poll in 1..=10 {
        let ms = t0.elapsed().as_millis();
        match fut.as_mut().poll(&mut cx) {
            Poll::Pending => {
                println!("{ms:>4} ms  poll {poll}: Pending -> main thread parks");
                thread::park(); // sleep until the waker unparks us
            }
            Poll::Ready(reply) => {
                println!("{ms:>4} ms  poll {poll}: Ready({reply:?})");
                break;
            }
        }
    }
    // ANCHOR_END: main
    println!("\nNobody polled in a loop: the callback woke the waker, and only then was the");
    println!("future polled again.\n");
    print!("{}", timeline.render());
}
