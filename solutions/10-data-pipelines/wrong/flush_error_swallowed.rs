//! wrong: write_lines ignores the result of the final flush, where a
//! BufWriter reports the writer's error.
//! message: the error was swallowed
// ANCHOR: learn-write_lines
    let mut out = BufWriter::new(out);
    let mut count = 0;
    while let Ok(line) = lines.recv().await {
        out.write_all(line.as_bytes()).await?;
        out.write_all(b"\n").await?;
        count += 1;
    }
    let _ = out.flush().await;
    Ok(count)
// ANCHOR_END: learn-write_lines
