//! wrong: avoids the deadlock by never holding two locks: takes the money
//! out of `from`, unlocks it, then puts it into `to`. An auditor in between
//! sees the money missing.
//! message: Money was missing while it moved
// ANCHOR: learn-transfer
    if from.id() == to.id() {
        return Err(TransferError::SameAccount);
    }
    {
        let mut from_balance = from.lock().await;
        if *from_balance < amount {
            return Err(TransferError::Insufficient {
                balance: *from_balance,
                amount,
            });
        }
        *from_balance -= amount;
    }
    *to.lock().await += amount;
    Ok(())
// ANCHOR_END: learn-transfer
