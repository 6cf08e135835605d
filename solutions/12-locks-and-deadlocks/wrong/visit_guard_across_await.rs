//! wrong: keeps the std MutexGuard alive while it awaits the log write.
//! message: visit() still held the std MutexGuard when it awaited log(n)
// ANCHOR: learn-visit
    let mut counts = counts.lock().unwrap();
    let count = counts.entry(page.to_string()).or_insert(0);
    *count += 1;
    let n = *count;
    log(n).await;
    n
// ANCHOR_END: learn-visit
