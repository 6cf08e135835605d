//! wrong: make_dish only handles the happy path of cook; an error there is
//! dropped and `done` is never called.
//! message: the error was swallowed
// ANCHOR: learn-make_dish
    let k = kitchen.clone();
    kitchen.chop(
        ingredient,
        Box::new(move |chopped| match chopped {
            Err(e) => done(Err(e)),
            Ok(chopped) => {
                let k2 = k.clone();
                k.cook(
                    &chopped,
                    Box::new(move |cooked| {
                        if let Ok(cooked) = cooked {
                            k2.plate(&cooked, Box::new(done));
                        }
                    }),
                )
            }
        }),
    );
// ANCHOR_END: learn-make_dish
