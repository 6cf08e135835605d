//! wrong: Join polls both sides on every poll, also a side that has
//! already returned Ready.
//! message: Polling a future after it returned Ready breaks its contract
// ANCHOR: learn-join
        let this = self.get_mut();
        if let Poll::Ready(out) = this.a.as_mut().poll(cx) {
            this.a_out = Some(out);
        }
        if let Poll::Ready(out) = this.b.as_mut().poll(cx) {
            this.b_out = Some(out);
        }
        if this.a_out.is_some() && this.b_out.is_some() {
            Poll::Ready((this.a_out.take().unwrap(), this.b_out.take().unwrap()))
        } else {
            Poll::Pending
        }
// ANCHOR_END: learn-join
