//! wrong: logged logs "cancelled" in code after the .await, which never
//! runs when the future is dropped there.
//! message: Log "cancelled" from the Drop of a guard
// ANCHOR: learn-logged-guard
// ANCHOR_END: learn-logged-guard
// ANCHOR: learn-logged
    log.lock().unwrap().push(format!("{name}: start"));
    let finished = {
        work.await;
        true
    };
    if finished {
        log.lock().unwrap().push(format!("{name}: done"));
    } else {
        log.lock().unwrap().push(format!("{name}: cancelled"));
    }
// ANCHOR_END: learn-logged
