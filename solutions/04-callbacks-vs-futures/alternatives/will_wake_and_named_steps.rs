//! alternative: poll clones the waker only when it changed (`will_wake`),
//! the callback wakes while it still holds the lock; make_dish is written as
//! named step functions instead of nested closures; make_dish_async awaits
//! through one helper.
// ANCHOR: learn-make_dish
    fn cook_step(k: Arc<dyn Kitchen>, chopped: Reply, done: Callback<Reply>) {
        match chopped {
            Ok(chopped) => {
                let next = k.clone();
                k.cook(&chopped, Box::new(move |cooked| plate_step(next, cooked, done)));
            }
            Err(e) => done(Err(e)),
        }
    }
    fn plate_step(k: Arc<dyn Kitchen>, cooked: Reply, done: Callback<Reply>) {
        match cooked {
            Ok(cooked) => k.plate(&cooked, done),
            Err(e) => done(Err(e)),
        }
    }
    let k = kitchen.clone();
    let done: Callback<Reply> = Box::new(done);
    kitchen.chop(ingredient, Box::new(move |chopped| cook_step(k, chopped, done)));
// ANCHOR_END: learn-make_dish
// ANCHOR: learn-callback_future-start
    let shared = Arc::new(Mutex::new(Shared {
        result: None,
        waker: None,
    }));
    let for_callback = shared.clone();
    start(Box::new(move |value| {
        let mut s = for_callback.lock().unwrap();
        s.result = Some(value);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }));
    CallbackFuture { shared }
// ANCHOR_END: learn-callback_future-start
// ANCHOR: learn-callback_future
        let mut s = self.shared.lock().unwrap();
        match s.result.take() {
            Some(v) => Poll::Ready(v),
            None => {
                match &s.waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => s.waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
// ANCHOR_END: learn-callback_future
// ANCHOR: learn-make_dish_async
    async fn step(
        what: String,
        start: impl FnOnce(Callback<Reply>),
    ) -> anyhow::Result<String> {
        Ok(callback_future(start).await.context(what)?)
    }
    let k = &kitchen;
    let chopped = step(format!("chopping {ingredient}"), |d| k.chop(ingredient, d)).await?;
    let cooked = step(format!("cooking {chopped}"), |d| k.cook(&chopped, d)).await?;
    step(format!("plating {cooked}"), |d| k.plate(&cooked, d)).await
// ANCHOR_END: learn-make_dish_async
