//! The lost wakeup: a wake that arrives before you start waiting.
//! cargo run -p lesson05-futures-by-hand --example lost_wakeup
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the demo is willing to wait for a wake that already happened.
const PATIENCE: Duration = Duration::from_millis(500);

fn main() {
    let t0 = Instant::now();
    // ANCHOR: condvar_only
    // Wrong: a Condvar with no flag. The "waker" notifies, but nobody is
    // waiting yet (the future is still inside poll), so the notify is gone.
    let lock = Mutex::new(());
    let cond = Condvar::new();
    std::thread::scope(|s| {
        s.spawn(|| cond.notify_one()).join().unwrap(); // woken during the poll
    });
    let (_g, res) = cond.wait_timeout(lock.lock().unwrap(), PATIENCE).unwrap();
    // ANCHOR_END: condvar_only
    println!(
        "Condvar, no flag:  waited {:>3} ms, timed out: {:<5} (the wake was lost; without a \
         timeout this would sleep forever)",
        t0.elapsed().as_millis(),
        res.timed_out()
    );

    let t1 = Instant::now();
    // ANCHOR: condvar_flag
    // Right: the waker sets a flag under the lock, then notifies. The waiter
    // looks at the flag first and only sleeps while it is false.
    let woken = Mutex::new(false);
    let cond = Condvar::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            *woken.lock().unwrap() = true;
            cond.notify_one();
        })
        .join()
        .unwrap();
    });
    let (mut g, res) = cond
        .wait_timeout_while(woken.lock().unwrap(), PATIENCE, |w| !*w)
        .unwrap();
    *g = false; // consume the wake
    // ANCHOR_END: condvar_flag
    println!(
        "Condvar + flag:    waited {:>3} ms, timed out: {:<5} (the flag remembered the early \
         wake)",
        t1.elapsed().as_millis(),
        res.timed_out()
    );

    let t2 = Instant::now();
    // ANCHOR: park
    // thread::park has the flag built in: an unpark that comes first leaves
    // a token, and the next park() returns at once.
    let me = std::thread::current();
    std::thread::scope(|s| {
        s.spawn(|| me.unpark()).join().unwrap();
    });
    std::thread::park_timeout(PATIENCE);
    // ANCHOR_END: park
    println!(
        "unpark, then park: waited {:>3} ms (the unpark left a token; park took it and \
         returned)",
        t2.elapsed().as_millis()
    );
}
