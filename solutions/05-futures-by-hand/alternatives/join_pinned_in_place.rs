//! alternative: `Join` keeps both futures inline (no Box) and projects the
//! pin by hand; `Yields` counts down with `checked_sub`.
// ANCHOR: learn-join-state
pub struct Join<A: Future, B: Future> {
    a: A,
    b: B,
    a_out: Option<A::Output>,
    b_out: Option<B::Output>,
}
// ANCHOR_END: learn-join-state
// ANCHOR: learn-join-make
    Join {
        a,
        b,
        a_out: None,
        b_out: None,
    }
// ANCHOR_END: learn-join-make
// ANCHOR: learn-join
        // SAFETY: `a` and `b` are never moved out of the pinned Join (we only
        // pin-project to them), Join has no Drop impl that moves them, and
        // the outputs are never pinned, so a plain `&mut` to them is fine.
        let this = unsafe { self.get_unchecked_mut() };
        if this.a_out.is_none() {
            let a = unsafe { Pin::new_unchecked(&mut this.a) };
            if let Poll::Ready(out) = a.poll(cx) {
                this.a_out = Some(out);
            }
        }
        if this.b_out.is_none() {
            let b = unsafe { Pin::new_unchecked(&mut this.b) };
            if let Poll::Ready(out) = b.poll(cx) {
                this.b_out = Some(out);
            }
        }
        match (this.a_out.take(), this.b_out.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                this.a_out = a;
                this.b_out = b;
                Poll::Pending
            }
        }
// ANCHOR_END: learn-join
// ANCHOR: learn-yields
        match self.0.checked_sub(1) {
            None => Poll::Ready(()),
            Some(left) => {
                self.0 = left;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
// ANCHOR_END: learn-yields
