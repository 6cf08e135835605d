//! wrong: block_on parks once per Pending and trusts that park() only
//! returns after a wake (a stray unpark makes it poll without one).
//! message: park() can return without your wake
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
        std::thread::park();
    }
// ANCHOR_END: learn-block_on
