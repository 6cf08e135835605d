//! wrong: the callback wakes the waker first and stores the value after, so
//! a fast executor polls too early and sleeps forever.
//! message: store the result FIRST, then wake
// ANCHOR: learn-callback_future-start
    let shared = Arc::new(Mutex::new(Shared {
        result: None,
        waker: None,
    }));
    let for_callback = shared.clone();
    start(Box::new(move |value| {
        let waker = for_callback.lock().unwrap().waker.take();
        if let Some(waker) = waker {
            waker.wake();
        }
        for_callback.lock().unwrap().result = Some(value);
    }));
    CallbackFuture { shared }
// ANCHOR_END: learn-callback_future-start
