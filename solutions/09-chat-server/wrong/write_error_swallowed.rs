//! wrong: write_lines ignores write errors, so the writer of a client that
//! is gone keeps taking lines it can never send.
//! message: the line in its queue cannot be written
// ANCHOR: learn-write_lines
    while let Ok(line) = outbox.recv().await {
        let _ = out.write_all(format!("{line}\n").as_bytes()).await;
        let _ = out.flush().await;
    }
    Ok(())
// ANCHOR_END: learn-write_lines
