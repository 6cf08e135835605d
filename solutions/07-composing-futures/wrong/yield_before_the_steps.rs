//! wrong: take_turns yields once up front and then does all its steps, as if
//! one yield were enough to be polite.
//! message: should take turns step by step
// ANCHOR: learn-take_turns
    future::yield_now().await;
    for i in 0..steps {
        step(i);
    }
// ANCHOR_END: learn-take_turns
