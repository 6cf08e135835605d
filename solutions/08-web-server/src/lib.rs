//! Lesson 08 — a TCP and web server on `smol::net`.
//!
// solution:begin
//! Reference solutions, and the source of the exercise file: the regions
//! between `ANCHOR: learn-NAME` markers become `todo!()` in
//! exercises/08-web-server (`cargo workshop generate`). Both crates are
//! checked by `tests/08-web-server.rs`.
// solution:end
//~ //! Replace each `todo!()` and run `cargo test` in this folder. The book
//~ //! chapter is book/src/08-web-server.md; `cargo workshop hint 8` gives
//~ //! one hint at a time when you are stuck.
//~ //!
//~ //! Crates you may use: smol (smol::net, smol::io), futures-lite,
//~ //! async-channel and anyhow.
//~ //!
//! Requests, responses, handlers and stats are given (from the lesson
//! crate, lessons/08-web-server/src/given.rs); the three exercises follow.

//~ #![allow(unused_variables, unused_imports, dead_code)]
use anyhow::Result;
use async_channel::Receiver;
use futures_lite::future;
use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::net::{TcpListener, TcpStream};

// GIVEN: requests, responses, handlers and stats, from the lesson crate
// (lessons/08-web-server/src/given.rs).
pub use lesson08_web_server::{Handler, Request, Response, Stats, handler, reason};

// ---------------------------------------------------- exercise 1: one client

// ANCHOR: learn-handle_connection-helpers
//~ // Room for your own helpers (parsing, writing a response).
/// What the request line and headers turned out to be.
enum Parsed {
    Get(Request),
    NotGet,
    Malformed,
}

// ANCHOR: parse
/// Parses `METHOD /path HTTP/1.x` (already without its line ending).
fn parse_request_line(line: &str) -> Parsed {
    let parts: Vec<&str> = line.split(' ').collect();
    match parts[..] {
        [method, path, version] if well_formed(method, path, version) => {
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

fn well_formed(method: &str, path: &str, version: &str) -> bool {
    let http1 = version.starts_with("HTTP/1.");
    !method.is_empty() && path.starts_with('/') && http1
}
// ANCHOR_END: parse

// ANCHOR: write_response
/// Writes a whole HTTP/1.1 response and flushes it.
async fn write_response(
    stream: &mut TcpStream,
    response: &Response, // status and body; the head is made here
) -> Result<()> {
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
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(response.body.as_bytes()).await?;
    stream.flush().await?;
    Ok(())
}
// ANCHOR_END: write_response
// ANCHOR_END: learn-handle_connection-helpers

// ANCHOR: handle_connection
/// Exercise `handle_connection`: serve one client.
///
/// Reads the request line and the headers up to the empty line, then:
/// * `GET /path HTTP/1.x` → calls `handler` and writes its response;
///   when the handler fails, writes a `500` and returns the handler's error;
/// * a well-formed request line with another method → `405`;
/// * anything else (or the client closing in the middle of the headers) →
///   `400`, without calling the handler;
/// * a client that closes before sending anything → `Ok(())`, nothing written.
///
/// Every response has `Content-Length` and `Connection: close`, and the
/// connection is closed after it.
///
/// The checks send good, malformed and non-GET requests, a request that
/// arrives in pieces (nothing may come back before the empty line that ends
/// the headers, and the handler must see the headers), a client that leaves
/// early, and a 256 KiB reply through a socket with tiny buffers (every
/// byte must arrive, however little each write takes).
/// Read: "Exercise: handle_connection" in the chapter.
pub async fn handle_connection(stream: TcpStream, handler: &Handler) -> Result<()> {
    // ANCHOR: learn-handle_connection
    // The reader and the writer are two handles to the same socket.
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;

    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(()); // connected and left without a word
    }
    let mut parsed = parse_request_line(line.trim_end_matches(['\r', '\n']));

    // Read the headers up to the empty line, even when we will answer 400:
    // the request has to be read before it is answered.
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            parsed = Parsed::Malformed; // the client hung up mid-request
            break;
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        match (header.split_once(':'), &mut parsed) {
            (Some((name, value)), Parsed::Get(req)) => req
                .headers
                .push((name.trim().to_string(), value.trim().to_string())),
            (Some(_), _) => {}
            (None, _) => parsed = Parsed::Malformed,
        }
    }

    let request = match parsed {
        Parsed::Get(request) => request,
        Parsed::NotGet => {
            let r = Response::new(405, "only GET is served here\n");
            return write_response(&mut writer, &r).await;
        }
        Parsed::Malformed => {
            let r = Response::new(400, "malformed request\n");
            return write_response(&mut writer, &r).await;
        }
    };

    match handler(request).await {
        Ok(response) => write_response(&mut writer, &response).await,
        Err(e) => {
            // Tell the client, then pass the original error on to the server.
            let r = Response::new(500, "internal server error\n");
            let _ = write_response(&mut writer, &r).await;
            Err(e)
        }
    }
    // ANCHOR_END: learn-handle_connection
}
// ANCHOR_END: handle_connection

// ----------------------------------------- exercise 2: a task per connection

// ANCHOR: serve_n
/// Exercise `serve_n`: accept `connections` clients, serve each one on a
/// task of its own (all at the same time), and return once every one of
/// them has been answered. One failed connection is counted in
/// [`Stats::failed`]; it does not stop the others.
///
/// The checks hold 100 clients at a gate that opens only when all of them
/// are being served at once, check that you return only after every answer
/// went out, and fail one connection among good ones.
/// Read: "Exercise: serve_n" in the chapter.
pub async fn serve_n(listener: TcpListener, handler: Handler, connections: usize) -> Result<Stats> {
    // ANCHOR: learn-serve_n
    let mut stats = Stats::default();
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (stream, _peer) = listener.accept().await?;
        stats.accepted += 1;
        let handler = handler.clone();
        // Spawn, do not await: the loop goes straight back to accept().
        // Keep the Task: dropping it would cancel the connection.
        tasks.push(smol::spawn(async move {
            handle_connection(stream, &handler).await
        }));
    }
    for task in tasks {
        stats.record(task.await); // an Err is counted, not returned with `?`
    }
    Ok(stats)
    // ANCHOR_END: learn-serve_n
}
// ANCHOR_END: serve_n

// ------------------------------------------- exercise 3: graceful shutdown

// ANCHOR: serve
/// Exercise `serve`: accept and serve clients (a task each) until a message
/// arrives on `shutdown` (or every sender of it is dropped). Then stop
/// accepting — close the listener, so new clients are refused — and wait
/// for the connections still in progress to finish before returning.
///
/// The checks serve 50 clients at once, then shut down an idle server (new
/// clients must be refused), drop every sender (that is a shutdown too),
/// and shut down while a connection is half way (it must still get its
/// whole answer). A bad request or a failed handler never stops the server.
/// Read: "Exercise: serve" in the chapter.
pub async fn serve(
    listener: TcpListener,
    handler: Handler,
    shutdown: Receiver<()>,
) -> Result<Stats> {
    // ANCHOR: learn-serve
    let mut stats = Stats::default();
    let mut running = Vec::new();
    loop {
        // Wait for whichever comes first. Shutdown goes first so that a
        // flood of clients cannot starve it.
        let next = future::or(
            async {
                let _ = shutdown.recv().await; // a message, or no senders left
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = next else { break };
        let (stream, _peer) = accepted?;
        stats.accepted += 1;
        let handler = handler.clone();
        running.push(smol::spawn(async move {
            handle_connection(stream, &handler).await
        }));
        // Count the tasks that are done, so the list does not grow forever.
        let (done, still_running): (Vec<_>, Vec<_>) =
            running.into_iter().partition(|t| t.is_finished());
        running = still_running;
        for task in done {
            stats.record(task.await);
        }
    }
    // Stop accepting: from now on new clients are refused.
    drop(listener);
    // Drain: every connection already accepted gets its full answer.
    for task in running {
        stats.record(task.await);
    }
    Ok(stats)
    // ANCHOR_END: learn-serve
}
// ANCHOR_END: serve
