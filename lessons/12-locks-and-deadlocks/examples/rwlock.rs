//! Readers share an RwLock; a Mutex makes them wait in line; a writer has
//! the RwLock to itself.
//! cargo run -p lesson12-locks-and-deadlocks --example rwlock
use async_lock::{Mutex, RwLock};
use futures_lite::future;
use lesson12_locks_and_deadlocks::{Timeline, ms};
use smol::Timer;

const READERS: [&str; 4] = ["read 1", "read 2", "read 3", "read 4"];

fn main() {
    println!("1. Four readers, RwLock: they read at the same time");
    // ANCHOR: readers
    let page = RwLock::new(String::from("<h1>welcome</h1>"));
    let timeline = Timeline::new();
    let read = |who: &'static str| {
        let (page, timeline) = (&page, &timeline);
        async move {
            let page = page.read().await; // shared: any number of readers
            let _bar = timeline.span(who);
            Timer::after(ms(100)).await; // render it, holding the read guard
            page.len()
        }
    };
    let [a, b, c, d] = READERS.map(read);
    smol::block_on(future::zip(future::zip(a, b), future::zip(c, d)));
    print!("{}", timeline.render());
    // ANCHOR_END: readers

    println!("\n2. The same four readers with a Mutex: one at a time");
    let page = Mutex::new(String::from("<h1>welcome</h1>"));
    let timeline = Timeline::new();
    let read = |who: &'static str| {
        let (page, timeline) = (&page, &timeline);
        async move {
            let page = page.lock().await; // exclusive, even for a reader
            let _bar = timeline.span(who);
            Timer::after(ms(100)).await;
            page.len()
        }
    };
    let [a, b, c, d] = READERS.map(read);
    smol::block_on(future::zip(future::zip(a, b), future::zip(c, d)));
    print!("{}", timeline.render());

    println!("\n3. Two readers, a writer, two more readers, RwLock:");
    // ANCHOR: writer
    let page = RwLock::new(String::from("<h1>welcome</h1>"));
    let timeline = Timeline::new();
    let (p, t) = (&page, &timeline);
    let read = |who: &'static str| async move {
        let page = p.read().await;
        let _bar = t.span(who);
        Timer::after(ms(100)).await;
        page.len()
    };
    let write = async {
        let mut page = p.write().await; // waits until no reader is inside
        let _bar = t.span("WRITE");
        Timer::after(ms(100)).await;
        page.push_str("<p>updated</p>");
        page.len()
    };
    let first = future::zip(read("read 1"), read("read 2"));
    let later = future::zip(read("read 3"), read("read 4"));
    smol::block_on(future::zip(future::zip(first, write), later));
    print!("{}", timeline.render());
    // ANCHOR_END: writer
    println!(
        "\nReaders overlap with each other, never with the writer. Readers that come \
         after a waiting\nwriter wait for it (async_lock's RwLock does not let a stream \
         of readers starve a writer)."
    );
}
