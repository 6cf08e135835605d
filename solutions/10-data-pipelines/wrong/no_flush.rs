//! wrong: write_lines never flushes its BufWriter, so the last buffer is lost
//! when it is dropped.
//! message: were never flushed
// ANCHOR: learn-write_lines
    let mut out = BufWriter::new(out);
    let mut count = 0;
    while let Ok(line) = lines.recv().await {
        out.write_all(line.as_bytes()).await?;
        out.write_all(b"\n").await?;
        count += 1;
    }
    Ok(count)
// ANCHOR_END: learn-write_lines
