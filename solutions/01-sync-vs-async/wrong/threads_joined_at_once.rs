//! wrong: joins each thread right after spawning it, so the threads serve
//! the orders one after another.
//! message: each thread was joined right after it was spawned
// ANCHOR: learn-with_threads
    let serve = &serve;
    std::thread::scope(|s| {
        orders
            .iter()
            .map(|&order| s.spawn(move || serve(order)).join().unwrap())
            .collect()
    })
// ANCHOR_END: learn-with_threads
