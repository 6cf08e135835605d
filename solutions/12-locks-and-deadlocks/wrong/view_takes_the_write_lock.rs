//! wrong: view() takes the write lock, so views run one at a time.
//! message: view() took the lock for itself alone
// ANCHOR: learn-cache-view
        let entries = self.entries.write().await;
        let value = entries.get(key)?;
        Some(f(value).await)
// ANCHOR_END: learn-cache-view
