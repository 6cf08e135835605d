//! alternative: the response goes out as one buffer (head and body
//! together); serve_n runs its connections on a local smol::Executor that it
//! drives itself instead of the global one.
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
    let mut whole = head.into_bytes();
    whole.extend_from_slice(response.body.as_bytes());
    stream.write_all(&whole).await?;
    stream.flush().await?;
    Ok(())
}
// ANCHOR_END: learn-handle_connection-helpers
// ANCHOR: learn-serve_n
    let ex = smol::Executor::new();
    ex.run(async {
        let mut stats = Stats::default();
        let mut tasks = Vec::with_capacity(connections);
        for _ in 0..connections {
            let (stream, _peer) = listener.accept().await?;
            stats.accepted += 1;
            let handler = handler.clone();
            tasks.push(ex.spawn(async move { handle_connection(stream, &handler).await }));
        }
        for task in tasks {
            stats.record(task.await);
        }
        Ok(stats)
    })
    .await
// ANCHOR_END: learn-serve_n
