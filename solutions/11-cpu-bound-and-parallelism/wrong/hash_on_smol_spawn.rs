//! wrong: moves the hash to smol's global executor with smol::spawn: its
//! threads run async tasks, so the CPU work blocks them instead.
//! message: one of the threads of smol's global
// ANCHOR: learn-hash_in_background
    smol::spawn(async move { hash(&data) }).await
// ANCHOR_END: learn-hash_in_background
