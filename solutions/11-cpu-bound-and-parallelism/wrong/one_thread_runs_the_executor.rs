//! wrong: spawns every chunk on an Executor but only the calling thread runs
//! it: concurrency on one thread, not parallelism.
//! message: worked on the chunks one at a time
// ANCHOR: learn-parallel_sum
    let work = &work;
    let ex = Executor::new();
    let tasks: Vec<_> = chunks
        .iter()
        .map(|chunk| ex.spawn(async move { (work(chunk), thread::current().id()) }))
        .collect();
    future::block_on(ex.run(async {
        let mut summed = Summed {
            total: 0,
            ran_on: Vec::new(),
        };
        for task in tasks {
            let (value, thread) = task.await;
            summed.total += value;
            summed.ran_on.push(thread);
        }
        summed
    }))
// ANCHOR_END: learn-parallel_sum
