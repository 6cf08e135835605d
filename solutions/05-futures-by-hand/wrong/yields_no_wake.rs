//! wrong: Yields returns Pending without waking its waker.
//! message: without calling its waker
// ANCHOR: learn-yields
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        Poll::Pending
// ANCHOR_END: learn-yields
