//! wrong: reads the old value under the read lock, computes the new one
//! with no lock held, then stores it under the write lock: concurrent
//! updates overwrite each other.
//! message: updates were lost
// ANCHOR: learn-cache-update
        let old = self.entries.read().await.get(key).cloned();
        let new = f(old.as_deref()).await;
        self.entries.write().await.insert(key.to_string(), new);
// ANCHOR_END: learn-cache-update
