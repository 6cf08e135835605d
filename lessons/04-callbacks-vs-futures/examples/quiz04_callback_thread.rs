//! Self-check for chapter 04: which thread runs the callback, and when?
//!
//! Run it: cargo run -p lesson04-callbacks-vs-futures --example quiz04_callback_thread

use std::sync::mpsc;
use std::thread;

// ANCHOR: quiz
/// A callback API: returns at once, calls `done` later on a thread of its
/// own (once `go` says so, to keep this quiz's output in one order).
fn fetch(go: mpsc::Receiver<()>, done: impl FnOnce(u32) + Send + 'static) {
    thread::Builder::new()
        .name("kitchen".into())
        .spawn(move || {
            go.recv().unwrap();
            done(42);
        })
        .unwrap();
}

fn main() {
    let (go, wait_go) = mpsc::channel();
    let (out, result) = mpsc::channel();
    fetch(wait_go, move |v| {
        let me = thread::current().name().unwrap_or("?").to_string();
        println!("callback: got {v} on thread {me}");
        out.send(v).unwrap();
    });
    println!(
        "fetch returned on thread {}",
        thread::current().name().unwrap()
    );
    go.send(()).unwrap();
    let v = result.recv().unwrap();
    println!("main: got {v}");
}
// ANCHOR_END: quiz
