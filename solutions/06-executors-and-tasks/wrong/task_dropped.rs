//! wrong: spawn_logged drops the Task it gets from spawn, which cancels the
//! task before it ever runs.
//! message: The task never ran
// ANCHOR: learn-background-detached
    let _ = ex.spawn(logged(name.to_string(), log.clone(), work));
// ANCHOR_END: learn-background-detached
