//! wrong: plain scoped threads, each with a fixed share of the chunks, and
//! no executor: a slow chunk holds up every chunk dealt to the same thread.
//! message: The chunks were dealt out to the threads
// ANCHOR: learn-parallel_sum
    let per_thread = chunks.len().div_ceil(threads).max(1);
    let work = &work;
    let parts: Vec<Vec<(u64, thread::ThreadId)>> = thread::scope(|s| {
        let handles: Vec<_> = chunks
            .chunks(per_thread)
            .map(|share| {
                s.spawn(move || {
                    share
                        .iter()
                        .map(|chunk| (work(chunk), thread::current().id()))
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut summed = Summed {
        total: 0,
        ran_on: Vec::new(),
    };
    for (value, thread) in parts.into_iter().flatten() {
        summed.total += value;
        summed.ran_on.push(thread);
    }
    summed
// ANCHOR_END: learn-parallel_sum
