//! wrong: awaits `a` to the end before it starts `b` (waiting in line).
//! message: awaited `a` to the end before it started `b`
// ANCHOR: learn-both
    let x = a.await;
    let y = b.await;
    (x, y)
// ANCHOR_END: learn-both
