//! wrong: make_dish turns each callback into a channel and waits for the
//! answer before the next step (blocking the caller).
//! message: make_dish waited for the kitchen to answer
// ANCHOR: learn-make_dish
    let ask = |f: &dyn Fn(Callback<Reply>)| {
        let (tx, rx) = std::sync::mpsc::channel();
        f(Box::new(move |r| {
            let _ = tx.send(r);
        }));
        rx.recv().expect("the kitchen answers")
    };
    let result = ask(&|cb| kitchen.chop(ingredient, cb))
        .and_then(|chopped| ask(&|cb| kitchen.cook(&chopped, cb)))
        .and_then(|cooked| ask(&|cb| kitchen.plate(&cooked, cb)));
    done(result);
// ANCHOR_END: learn-make_dish
