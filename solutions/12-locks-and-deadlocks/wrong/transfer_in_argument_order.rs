//! wrong: locks `from`, then `to`: two transfers in opposite directions each
//! hold one lock and wait for the other.
//! message: deadlock: nothing could run any more
// ANCHOR: learn-transfer
    if from.id() == to.id() {
        return Err(TransferError::SameAccount);
    }
    let mut from_balance = from.lock().await;
    let mut to_balance = to.lock().await;
    if *from_balance < amount {
        return Err(TransferError::Insufficient {
            balance: *from_balance,
            amount,
        });
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
// ANCHOR_END: learn-transfer
