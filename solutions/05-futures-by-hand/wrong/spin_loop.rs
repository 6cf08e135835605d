//! wrong: block_on polls in a loop and never sleeps (busy-spinning).
//! message: busy-spinning
// ANCHOR: learn-block_on
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
// ANCHOR_END: learn-block_on
