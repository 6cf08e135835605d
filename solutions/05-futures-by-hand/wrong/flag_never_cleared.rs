//! wrong: the woken flag is set by the waker but never cleared, so after the
//! first wake block_on never sleeps again.
//! message: the woken flag is never cleared
// ANCHOR: learn-block_on
    let mut fut = pin!(fut);
    let signal = Arc::new(ThreadWaker {
        thread: std::thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(signal.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        while !signal.woken.load(Ordering::Acquire) {
            std::thread::park();
        }
    }
// ANCHOR_END: learn-block_on
