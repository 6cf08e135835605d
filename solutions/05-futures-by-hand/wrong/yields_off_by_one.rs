//! wrong: Yields counts down before it checks for zero, so it is Ready one
//! poll early.
//! message: Yields(3) was Ready on poll 3
// ANCHOR: learn-yields
        self.0 = self.0.saturating_sub(1);
        if self.0 == 0 {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
// ANCHOR_END: learn-yields
