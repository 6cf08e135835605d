//! wrong: refuses to move the whole balance (`<=` where only `<` is short
//! of money): an off-by-one at the limit.
//! message: an account may be emptied
// ANCHOR: learn-transfer
    if from.id() == to.id() {
        return Err(TransferError::SameAccount);
    }
    let (low, high) = if from.id() < to.id() { (from, to) } else { (to, from) };
    let mut low = low.lock().await;
    let mut high = high.lock().await;
    let (from_balance, to_balance) = if from.id() < to.id() {
        (&mut *low, &mut *high)
    } else {
        (&mut *high, &mut *low)
    };
    if *from_balance <= amount && amount > 0 {
        return Err(TransferError::Insufficient {
            balance: *from_balance,
            amount,
        });
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
// ANCHOR_END: learn-transfer
