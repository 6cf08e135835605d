//! wrong: Join polls `b` only after `a` is done (a.await; b.await; in
//! disguise).
//! message: runs them in line
// ANCHOR: learn-join
        let this = self.get_mut();
        if this.a_out.is_none() {
            match this.a.as_mut().poll(cx) {
                Poll::Ready(out) => this.a_out = Some(out),
                Poll::Pending => return Poll::Pending,
            }
        }
        if this.b_out.is_none() {
            match this.b.as_mut().poll(cx) {
                Poll::Ready(out) => this.b_out = Some(out),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready((this.a_out.take().unwrap(), this.b_out.take().unwrap()))
// ANCHOR_END: learn-join
