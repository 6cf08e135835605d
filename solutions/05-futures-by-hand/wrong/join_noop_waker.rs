//! wrong: Join polls its children with a Context of its own (a no-op
//! waker), so a child's wake never reaches the executor.
//! message: Pass the `cx` you were given to both polls
// ANCHOR: learn-join
        let this = self.get_mut();
        let mut own = Context::from_waker(Waker::noop());
        if this.a_out.is_none()
            && let Poll::Ready(out) = this.a.as_mut().poll(&mut own)
        {
            this.a_out = Some(out);
        }
        if this.b_out.is_none()
            && let Poll::Ready(out) = this.b.as_mut().poll(&mut own)
        {
            this.b_out = Some(out);
        }
        if this.a_out.is_some() && this.b_out.is_some() {
            Poll::Ready((this.a_out.take().unwrap(), this.b_out.take().unwrap()))
        } else {
            Poll::Pending
        }
// ANCHOR_END: learn-join
