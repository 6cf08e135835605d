//! wrong: take_turns runs every step in a row and never gives the thread
//! back (no .await that returns Pending).
//! message: A worker that never returns Pending
// ANCHOR: learn-take_turns
    for i in 0..steps {
        step(i);
    }
// ANCHOR_END: learn-take_turns
