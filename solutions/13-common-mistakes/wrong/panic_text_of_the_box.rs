//! wrong: passes the Box itself to panic_text (`&payload`), so the downcast
//! looks at a Box, not at the panic's message.
//! message: panic_text() got the Box instead of the payload
// ANCHOR: learn-lost_panic
    let tasks: Vec<_> = jobs
        .into_iter()
        .map(|job| ex.spawn(AssertUnwindSafe(job).catch_unwind()))
        .collect();
    let mut outputs = Vec::with_capacity(tasks.len());
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await {
            Ok(output) => outputs.push(output),
            Err(payload) => bail!("job {i} panicked: {}", panic_text(&payload)),
        }
    }
    Ok(outputs)
// ANCHOR_END: learn-lost_panic
