//! wrong: spawn_logged spawns on smol's global executor instead of the one
//! it was given.
//! message: smol::spawn uses a different, global executor
// ANCHOR: learn-background-detached
    let _ = ex;
    smol::spawn(logged(name.to_string(), log.clone(), work)).detach();
// ANCHOR_END: learn-background-detached
