//! Two tasks, two locks, taken in opposite orders: a deadlock. Then the
//! same two tasks with one global lock order.
//! cargo run -p lesson12-locks-and-deadlocks --example lock_order
use async_lock::Mutex;
use futures_lite::future;
use lesson12_locks_and_deadlocks::{Timeline, ms, within};
use smol::Timer;

/// One utensil on the table: a name and a lock.
type Utensil<'a> = (&'a str, &'a Mutex<()>);

// ANCHOR: dine
/// Takes `first`, reaches for `second` (that takes a moment), and eats.
async fn dine(
    who: &str,
    first: Utensil<'_>, // taken first
    second: Utensil<'_>,
    timeline: &Timeline,
) {
    let _first = first.1.lock().await;
    println!("  {who}: took the {}", first.0);
    Timer::after(ms(50)).await; // reaching for the other one
    println!("  {who}: waits for the {}", second.0);
    let _second = second.1.lock().await;
    let _bar = timeline.span(who);
    println!("  {who}: took the {} too, eating", second.0);
    Timer::after(ms(100)).await;
}
// ANCHOR_END: dine

fn main() {
    let (fork, knife) = (Mutex::new(()), Mutex::new(()));
    let (fork, knife) = (("fork", &fork), ("knife", &knife));

    println!("1. Ada takes the fork first, Bob the knife first:");
    let timeline = Timeline::new();
    // ANCHOR: opposite
    let ada = dine("Ada", fork, knife, &timeline);
    let bob = dine("Bob", knife, fork, &timeline);
    match smol::block_on(within(ms(500), future::zip(ada, bob))) {
        Some(_) => println!("  both ate"),
        None => println!(
            "  deadlocked: neither task can proceed (Ada holds the fork \
             and waits for the knife,\n  Bob holds the knife and waits \
             for the fork). Gave up after 500 ms."
        ),
    }
    // ANCHOR_END: opposite

    println!("\n2. One global order: everybody takes the fork first:");
    let timeline = Timeline::new();
    // ANCHOR: ordered
    let ada = dine("Ada", fork, knife, &timeline);
    let bob = dine("Bob", fork, knife, &timeline);
    match smol::block_on(within(ms(500), future::zip(ada, bob))) {
        Some(_) => println!("  both ate"),
        None => println!("  deadlocked: neither task can proceed"),
    }
    // ANCHOR_END: ordered
    print!("{}", timeline.render());
}
