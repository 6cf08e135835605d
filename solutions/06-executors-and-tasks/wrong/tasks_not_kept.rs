//! wrong: until_idle spawns each job and drops its Task right away, which
//! cancels it, so nothing ever runs.
//! message: a dropped Task is cancelled and has no output
// ANCHOR: learn-until_idle
    let ex = LocalExecutor::new();
    let n = jobs.len();
    for job in jobs {
        let _ = ex.spawn(job);
    }
    let mut polls = 0;
    while ex.try_tick() {
        polls += 1;
    }
    Idle {
        outputs: (0..n).map(|_| None).collect(),
        polls,
    }
// ANCHOR_END: learn-until_idle
