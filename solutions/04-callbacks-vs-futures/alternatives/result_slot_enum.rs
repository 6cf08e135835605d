//! alternative: make_dish threads one shared `done` through an Option so
//! every error path calls the same place; make_dish_async uses `match` and
//! `Error::context` instead of `?` with `with_context`.
// ANCHOR: learn-make_dish
    let done: Arc<Mutex<Option<Callback<Reply>>>> = Arc::new(Mutex::new(Some(Box::new(done))));
    let finish = move |r: Reply| {
        if let Some(d) = done.lock().unwrap().take() {
            d(r);
        }
    };
    let k = kitchen.clone();
    kitchen.chop(
        ingredient,
        Box::new(move |r| match r {
            Err(e) => finish(Err(e)),
            Ok(chopped) => {
                let k2 = k.clone();
                k.cook(
                    &chopped,
                    Box::new(move |r| match r {
                        Err(e) => finish(Err(e)),
                        Ok(cooked) => k2.plate(&cooked, Box::new(finish)),
                    }),
                );
            }
        }),
    );
// ANCHOR_END: learn-make_dish
// ANCHOR: learn-make_dish_async
    let chopped = match callback_future(|d| kitchen.chop(ingredient, d)).await {
        Ok(v) => v,
        Err(e) => return Err(anyhow::Error::new(e).context(format!("chopping {ingredient}"))),
    };
    let cooked = match callback_future(|d| kitchen.cook(&chopped, d)).await {
        Ok(v) => v,
        Err(e) => return Err(anyhow::Error::new(e).context(format!("cooking {chopped}"))),
    };
    match callback_future(|d| kitchen.plate(&cooked, d)).await {
        Ok(v) => Ok(v),
        Err(e) => Err(anyhow::Error::new(e).context(format!("plating {cooked}"))),
    }
// ANCHOR_END: learn-make_dish_async
