//! wrong: the response is written with `write`, and the count it returns
//! (how much the socket took) is ignored, so a big body is cut short.
//! message: `write(..)` with the count ignored loses the rest
// ANCHOR: learn-handle_connection-helpers
/// What the request line and headers turned out to be.
enum Parsed {
    Get(Request),
    NotGet,
    Malformed,
}

/// Parses `METHOD /path HTTP/1.x` (already without its line ending).
fn parse_request_line(line: &str) -> Parsed {
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(path), Some(version), None)
            if !method.is_empty() && path.starts_with('/') && version.starts_with("HTTP/1.") =>
        {
            if method == "GET" {
                Parsed::Get(Request {
                    method: method.to_string(),
                    path: path.to_string(),
                    headers: Vec::new(),
                })
            } else {
                Parsed::NotGet
            }
        }
        _ => Parsed::Malformed,
    }
}

/// Writes a whole HTTP/1.1 response and flushes it.
async fn write_response(stream: &mut TcpStream, response: &Response) -> Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\
         \r\n",
        response.status,
        reason(response.status),
        // Content-Length counts bytes, not characters.
        response.body.len(),
    );
    stream.write(head.as_bytes()).await?;
    stream.write(response.body.as_bytes()).await?;
    stream.flush().await?;
    Ok(())
}
// ANCHOR_END: learn-handle_connection-helpers
