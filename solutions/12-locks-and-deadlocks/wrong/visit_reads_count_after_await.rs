//! wrong: counts under the lock, then reads the count again after the log
//! write: by then later visits have changed it.
//! message: locking again after the .await reads a count
// ANCHOR: learn-visit
    let n = {
        let mut counts = counts.lock().unwrap();
        let count = counts.entry(page.to_string()).or_insert(0);
        *count += 1;
        *count
    };
    log(n).await;
    counts.lock().unwrap()[page]
// ANCHOR_END: learn-visit
