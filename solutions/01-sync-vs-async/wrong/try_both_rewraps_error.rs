//! wrong: both at once, but the error the caller gets is a new one that only
//! quotes the original's text.
//! message: A new error that only quotes the original's text
// ANCHOR: learn-try_both
    future::try_zip(a, b)
        .await
        .map_err(|e| anyhow::anyhow!("an order failed: {e}"))
// ANCHOR_END: learn-try_both
