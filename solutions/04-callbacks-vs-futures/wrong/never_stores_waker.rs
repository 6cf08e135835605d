//! wrong: poll returns Pending without handing its waker to the callback,
//! so nothing ever wakes the task.
//! message: store `cx.waker().clone()` in poll
// ANCHOR: learn-callback_future
        let mut s = self.shared.lock().unwrap();
        match s.result.take() {
            Some(value) => Poll::Ready(value),
            None => Poll::Pending,
        }
// ANCHOR_END: learn-callback_future
