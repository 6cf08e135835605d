//! wrong: a global order, but the opposite of the auditors' (higher id
//! first): a transfer and an auditor can still hold one lock each.
//! message: An auditor locks #1, then #2
// ANCHOR: learn-transfer
    if from.id() == to.id() {
        return Err(TransferError::SameAccount);
    }
    let from_first = from.id() > to.id();
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let mut first = first.lock().await;
    let mut second = second.lock().await;
    let (from_balance, to_balance) = if from_first {
        (&mut *first, &mut *second)
    } else {
        (&mut *second, &mut *first)
    };
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
