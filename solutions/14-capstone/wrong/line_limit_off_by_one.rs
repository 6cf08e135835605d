//! wrong: counts a last line of exactly `max` bytes (no `\n` after it) as too
//! long: `>=` where the limit needs `>`.
//! message: a last line of exactly 8 bytes with no
// ANCHOR: learn-read_line_limited
    let mut buf = Vec::new();
    (&mut *reader)
        .take(max as u64 + 1)
        .read_until(b'\n', &mut buf)
        .await?;
    if buf.ends_with(b"\n") {
        buf.pop();
        Ok(Line::Text(buf))
    } else if buf.is_empty() {
        Ok(Line::Eof)
    } else if buf.len() >= max {
        Ok(Line::TooLong)
    } else {
        Ok(Line::Text(buf))
    }
// ANCHOR_END: learn-read_line_limited
