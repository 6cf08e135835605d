//! wrong: make_dish_async drives each step with a nested block_on instead of
//! awaiting it, blocking the executor's thread.
//! message: a poll of make_dish_async never returned
// ANCHOR: learn-make_dish_async
    let chopped = futures_lite::future::block_on(callback_future(|done| {
        kitchen.chop(ingredient, done)
    }))
    .with_context(|| format!("chopping {ingredient}"))?;
    let cooked = futures_lite::future::block_on(callback_future(|done| {
        kitchen.cook(&chopped, done)
    }))
    .with_context(|| format!("cooking {chopped}"))?;
    let plated = futures_lite::future::block_on(callback_future(|done| {
        kitchen.plate(&cooked, done)
    }))
    .with_context(|| format!("plating {cooked}"))?;
    Ok(plated)
// ANCHOR_END: learn-make_dish_async
