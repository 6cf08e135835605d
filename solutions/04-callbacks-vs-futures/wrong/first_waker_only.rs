//! wrong: poll stores the waker only the first time, so a future that moved
//! to another task wakes the old one.
//! message: Keeping only the first waker is a classic bug
// ANCHOR: learn-callback_future
        let mut s = self.shared.lock().unwrap();
        if let Some(value) = s.result.take() {
            return Poll::Ready(value);
        }
        if s.waker.is_none() {
            s.waker = Some(cx.waker().clone());
        }
        Poll::Pending
// ANCHOR_END: learn-callback_future
