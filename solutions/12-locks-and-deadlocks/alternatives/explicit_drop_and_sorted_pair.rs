//! alternative: `visit` ends the guard with an explicit drop(); `transfer`
//! sorts the pair by id once and remembers which guard is `from`.
// ANCHOR: learn-visit
    let mut guard = counts.lock().unwrap();
    let n = {
        let count = guard.entry(page.to_string()).or_default();
        *count += 1;
        *count
    };
    drop(guard);
    log(n).await;
    n
// ANCHOR_END: learn-visit
// ANCHOR: learn-transfer
    if from.id() == to.id() {
        return Err(TransferError::SameAccount);
    }
    let mut pair = [(from, true), (to, false)];
    pair.sort_by_key(|(account, _)| account.id());
    let mut a = pair[0].0.lock().await;
    let mut b = pair[1].0.lock().await;
    let (src, dst) = if pair[0].1 {
        (&mut *a, &mut *b)
    } else {
        (&mut *b, &mut *a)
    };
    match src.checked_sub(amount) {
        Some(left) => {
            *src = left;
            *dst += amount;
            Ok(())
        }
        None => Err(TransferError::Insufficient {
            balance: *src,
            amount,
        }),
    }
// ANCHOR_END: learn-transfer
