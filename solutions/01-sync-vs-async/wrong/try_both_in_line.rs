//! wrong: `?` on each order in turn: right about errors, wrong about
//! waiting (the second order starts only when the first is done).
//! message: awaited `a` to the end before it started `b`
// ANCHOR: learn-try_both
    let x = a.await?;
    let y = b.await?;
    Ok((x, y))
// ANCHOR_END: learn-try_both
