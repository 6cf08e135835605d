//! wrong: runs both at once, but looks at the results only when both are
//! done, so a failure waits for the slow order (forever, here).
//! message: still waiting for the other order
// ANCHOR: learn-try_both
    let (x, y) = future::zip(a, b).await;
    Ok((x?, y?))
// ANCHOR_END: learn-try_both
