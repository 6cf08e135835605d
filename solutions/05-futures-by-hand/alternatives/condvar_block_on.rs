//! alternative: `block_on` sleeps on a Mutex<bool> + Condvar instead of
//! park/unpark; the flag is consumed under the lock.
// ANCHOR: learn-block_on-waker
struct Signal {
    woken: std::sync::Mutex<bool>,
    cond: std::sync::Condvar,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        *self.woken.lock().unwrap() = true;
        self.cond.notify_one();
    }
}
// ANCHOR_END: learn-block_on-waker
// ANCHOR: learn-block_on
    let mut fut = pin!(fut);
    let signal = Arc::new(Signal {
        woken: std::sync::Mutex::new(false),
        cond: std::sync::Condvar::new(),
    });
    let waker = Waker::from(signal.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        let mut woken = signal.woken.lock().unwrap();
        while !*woken {
            woken = signal.cond.wait(woken).unwrap();
        }
        *woken = false;
    }
// ANCHOR_END: learn-block_on
