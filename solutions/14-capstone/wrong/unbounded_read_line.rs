//! wrong: reads the line with `read_until` on the reader itself and only
//! then compares its length with `max`: a line without a newline is buffered
//! whole, however big.
//! message: An unbounded read
// ANCHOR: learn-read_line_limited
    let mut buf = Vec::new();
    let n = reader.read_until(b'\n', &mut buf).await?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if buf.len() > max {
        Ok(Line::TooLong)
    } else {
        Ok(Line::Text(buf))
    }
// ANCHOR_END: learn-read_line_limited
