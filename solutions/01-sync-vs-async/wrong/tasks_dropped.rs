//! wrong: spawns the tasks without keeping them (a dropped Task is
//! cancelled), then runs the executor for nothing.
//! message: A Task that is dropped is cancelled
// ANCHOR: learn-on_one_thread
    let ex = LocalExecutor::new();
    for &order in orders {
        let _ = ex.spawn(serve(order));
    }
    smol::block_on(ex.run(async { Vec::new() }))
// ANCHOR_END: learn-on_one_thread
