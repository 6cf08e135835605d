//! wrong: clears the woken flag after the poll, before sleeping, so a wake
//! that came during the poll is lost and block_on sleeps forever.
//! message: that wake was lost
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
        signal.woken.store(false, Ordering::Release);
        while !signal.woken.load(Ordering::Acquire) {
            std::thread::park();
        }
    }
// ANCHOR_END: learn-block_on
