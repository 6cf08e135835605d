//! The same three steps with async/await: straight-line code, `?` for errors.
//! cargo run -p lesson04-callbacks-vs-futures --example async_flow
use anyhow::Context as _;
use futures_lite::future;
use lesson04_callbacks_vs_futures::{Kitchen, Timeline, ask};

// ANCHOR: flow
/// Chop, then cook, then plate: one line per step, errors with `?`.
async fn make_dish(kitchen: &Kitchen, ingredient: &str) -> anyhow::Result<String> {
    let chopped = ask(|done| kitchen.chop(ingredient, done))
        .await
        .with_context(|| format!("chopping {ingredient}"))?;
    let cooked = ask(|done| kitchen.cook(&chopped, done))
        .await
        .with_context(|| format!("cooking {chopped}"))?;
    let plated = ask(|done| kitchen.plate(&cooked, done))
        .await
        .with_context(|| format!("plating {cooked}"))?;
    Ok(plated)
}
// ANCHOR_END: flow

fn main() {
    let timeline = Timeline::new();
    let kitchen = Kitchen::new(&timeline);
    let burnt = kitchen.clone().failing_at("cook");
    // ANCHOR: main
    let (onion, leek) = smol::block_on(future::zip(
        make_dish(&kitchen, "onion"),
        make_dish(&burnt, "leek"),
    ));
    match onion {
        Ok(dish) => println!("onion -> served {dish}"),
        Err(e) => println!("onion -> error: {e:#}"),
    }
    match leek {
        Ok(dish) => println!("leek  -> served {dish}"),
        // {:#} prints the whole chain: the context, then the kitchen's error.
        Err(e) => println!("leek  -> error: {e:#}"),
    }
    // ANCHOR_END: main
    println!("\nSame kitchen, same threads; the flow reads top to bottom.\n");
    print!("{}", timeline.render());
}
