//! alternative: with_timeout as a hand-written poll_fn over the pinned work
//! and timer; take_turns with a hand-made "yield once" future; hedge with
//! the seed choosing the order in which the two are raced; first_valid as a
//! plain loop over the pinned stream.
// ANCHOR: learn-with_timeout
    let mut work = std::pin::pin!(work);
    let mut timer = Timer::after(limit);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(out) = work.as_mut().poll(cx) {
            return std::task::Poll::Ready(Ok(out));
        }
        if std::pin::Pin::new(&mut timer).poll(cx).is_ready() {
            return std::task::Poll::Ready(Err(TimedOut));
        }
        std::task::Poll::Pending
    })
    .await
// ANCHOR_END: learn-with_timeout
// ANCHOR: learn-take_turns
    for i in 0..steps {
        step(i);
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                std::task::Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await;
    }
// ANCHOR_END: learn-take_turns
// ANCHOR: learn-hedge
    // Fair and reproducible in its own way: the seed's low bit picks which
    // side the seeded race lists first.
    if seed % 2 == 0 {
        future::race_with_seed(primary, backup, seed / 2).await
    } else {
        future::race_with_seed(backup, primary, seed / 2).await
    }
// ANCHOR_END: learn-hedge
// ANCHOR: learn-first_valid
    let mut readings = std::pin::pin!(readings);
    let mut valid = Vec::with_capacity(n);
    while valid.len() < n {
        match readings.next().await {
            Some(r) if r >= 0 => valid.push(r as u32),
            Some(_) => {}
            None => break,
        }
    }
    valid
// ANCHOR_END: learn-first_valid
