//! Three kitchen steps chained with callbacks: the pyramid.
//! cargo run -p lesson04-callbacks-vs-futures --example pyramid
use std::sync::mpsc;

use lesson04_callbacks_vs_futures::{Kitchen, Reply, Timeline};

// ANCHOR: pyramid
/// Chop, then cook, then plate. Every step starts inside the callback of the
/// one before, and every error has to be handed to `done` by hand.
fn make_dish(kitchen: &Kitchen, ingredient: &str, done: impl FnOnce(Reply) + Send + 'static) {
    let k = kitchen.clone();
    kitchen.chop(ingredient, move |chopped| match chopped {
        Err(e) => done(Err(e)),
        Ok(chopped) => {
            let k2 = k.clone();
            k.cook(&chopped, move |cooked| match cooked {
                Err(e) => done(Err(e)),
                Ok(cooked) => k2.plate(&cooked, move |plated| match plated {
                    Err(e) => done(Err(e)),
                    Ok(plated) => done(Ok(plated)),
                }),
            })
        }
    });
}
// ANCHOR_END: pyramid

fn main() {
    // ANCHOR: main
    let timeline = Timeline::new();
    let kitchen = Kitchen::new(&timeline);
    let (tx, rx) = mpsc::channel();
    let tx2 = tx.clone();
    make_dish(&kitchen, "onion", move |reply| {
        tx.send(("onion", reply)).unwrap()
    });
    make_dish(&kitchen.failing_at("cook"), "leek", move |reply| {
        tx2.send(("leek", reply)).unwrap()
    });
    println!("main: both orders placed, make_dish returned at once");
    // The demo's main thread has nothing else to do, so it waits here.
    for (order, reply) in rx.iter().take(2) {
        match reply {
            Ok(dish) => println!("main: {order} -> served {dish}"),
            Err(e) => println!("main: {order} -> error: {e}"),
        }
    }
    // ANCHOR_END: main
    println!("\nEach step ran on a kitchen thread and started in the previous step's callback.\n");
    print!("{}", timeline.render());
}
