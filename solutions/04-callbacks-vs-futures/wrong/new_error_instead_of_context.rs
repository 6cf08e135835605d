//! wrong: make_dish_async replaces the kitchen's error with a new anyhow
//! error, so the caller cannot downcast to KitchenError any more.
//! message: Do not replace it with a new error
// ANCHOR: learn-make_dish_async
    let chopped = callback_future(|done| kitchen.chop(ingredient, done))
        .await
        .map_err(|e| anyhow::anyhow!("chopping {ingredient}: {e}"))?;
    let cooked = callback_future(|done| kitchen.cook(&chopped, done))
        .await
        .map_err(|e| anyhow::anyhow!("cooking {chopped}: {e}"))?;
    let plated = callback_future(|done| kitchen.plate(&cooked, done))
        .await
        .map_err(|e| anyhow::anyhow!("plating {cooked}: {e}"))?;
    Ok(plated)
// ANCHOR_END: learn-make_dish_async
