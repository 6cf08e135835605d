//! alternative: `read_line_limited` as a hand-written `fill_buf`/`consume`
//! loop that stops consuming once the line is over the limit.
// ANCHOR: learn-read_line_limited
    let mut line = Vec::new();
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            // The stream ended: a last line without `\n`, or nothing at all.
            return Ok(if line.is_empty() {
                Line::Eof
            } else {
                Line::Text(line)
            });
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let upto = newline.unwrap_or(available.len());
        // Never keep (or take) more than max + 1 bytes of one line.
        let room = max + 1 - line.len();
        if upto > room {
            reader.consume(room);
            return Ok(Line::TooLong);
        }
        line.extend_from_slice(&available[..upto]);
        match newline {
            Some(_) => {
                reader.consume(upto + 1);
                return Ok(if line.len() > max {
                    Line::TooLong
                } else {
                    Line::Text(line)
                });
            }
            None => reader.consume(upto),
        }
        if line.len() > max {
            return Ok(Line::TooLong);
        }
    }
// ANCHOR_END: learn-read_line_limited
