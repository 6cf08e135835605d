//! wrong: write_lines writes each line with `write` and ignores the count it
//! returns, so whatever the socket did not take at once is lost.
//! message: A `write(..)` with the count ignored loses the rest
// ANCHOR: learn-write_lines
    while let Ok(line) = outbox.recv().await {
        let bytes = format!("{line}\n");
        out.write(bytes.as_bytes()).await?;
        out.flush().await?;
    }
    Ok(())
// ANCHOR_END: learn-write_lines
