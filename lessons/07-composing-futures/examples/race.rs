//! Racing two futures: or() prefers the first, race() is fair, and
//! race_with_seed() is fair *and* reproducible. The loser is dropped.
//! cargo run -p lesson07-composing-futures --example race
use futures_lite::future;
use lesson07_composing_futures::{Timeline, ask, ms};

fn main() {
    // ANCHOR: ties
    // Two futures that are ready at once: who wins the tie?
    let or_winners: Vec<&str> = (0..8)
        .map(|_| future::block_on(future::or(async { "left" }, async { "right" })))
        .collect();
    let seeded: Vec<&str> = (0..8)
        .map(|seed| {
            future::block_on(future::race_with_seed(
                async { "left" },
                async { "right" },
                seed,
            ))
        })
        .collect();
    // ANCHOR_END: ties
    println!("ties with or():                       {or_winners:?}");
    println!("ties with race_with_seed(.., 0..8):   {seeded:?}");
    println!("(run it again: the seeded list is the same every time)\n");

    let timeline = Timeline::new();
    // ANCHOR: hedge
    let answer = smol::block_on(future::race_with_seed(
        ask(&timeline, "primary", ms(400)),
        ask(&timeline, "backup", ms(150)),
        42,
    ));
    // ANCHOR_END: hedge
    println!("the race returned: {answer}\n");
    print!("{}", timeline.render());
    println!("\nThe primary's bar ends when the backup answers: it was cancelled, not finished.");
}
