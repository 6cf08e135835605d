//! Lesson 08 — a TCP and web server on `smol::net`.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/08-web-server.md; `cargo workshop hint 8` gives a
//! hint when you are stuck.
//!
//! The first part of this file (requests, responses, handlers, stats) is
//! given; the three exercises follow it. Exercises 2 and 3 use your
//! `handle_connection` from exercise 1.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::future::Future;
use std::sync::Arc;

use anyhow::Result;
use async_channel::Receiver;
use futures_lite::future::{self, Boxed};
use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::net::{TcpListener, TcpStream};

// ------------------------------------------------------------------ given

/// A parsed request: `GET /path HTTP/1.1` and its headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// Always `"GET"`: other methods are answered with 405 before any
    /// handler runs.
    pub method: String,
    /// The path, such as `/menu`. It always starts with `/`.
    pub path: String,
    /// The headers in the order they came, names as the client wrote them.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of the header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a handler answers: a status code and a plain-text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    /// A response with any status.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Response {
            status,
            body: body.into(),
        }
    }

    /// `200 OK` with `body`.
    pub fn ok(body: impl Into<String>) -> Self {
        Self::new(200, body)
    }
}

/// The reason phrase that goes after the status code in the status line.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

/// The application: turns a request into a response, or fails. It is
/// shared by every connection task, so it is an `Arc` and its futures are
/// `Send + 'static`.
pub type Handler = Arc<dyn Fn(Request) -> Boxed<Result<Response>> + Send + Sync>;

/// Makes a [`Handler`] from an async closure-like function:
/// `handler(|req| async move { Ok(Response::ok(req.path)) })`.
pub fn handler<F, Fut>(f: F) -> Handler
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response>> + Send + 'static,
{
    Arc::new(move |req| Box::pin(f(req)))
}

/// What a server did, returned when it stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted.
    pub accepted: usize,
    /// Connections whose [`handle_connection`] returned `Ok` (a `400` for a
    /// malformed request counts here: the server did its job).
    pub ok: usize,
    /// Connections whose [`handle_connection`] returned `Err`.
    pub failed: usize,
}

impl Stats {
    /// Counts one finished connection, and reports its error on stderr.
    pub fn record(&mut self, outcome: Result<()>) {
        match outcome {
            Ok(()) => self.ok += 1,
            Err(e) => {
                self.failed += 1;
                eprintln!("connection failed: {e:#}");
            }
        }
    }
}

// ---------------------------------------------------- exercise 1: one client

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
pub async fn handle_connection(stream: TcpStream, handler: &Handler) -> Result<()> {
    // TODO: serve one HTTP/1.1 request on `stream`.
    // 1. `let mut reader = BufReader::new(stream.clone());` (reading) and keep
    //    `stream` for writing. `reader.read_line(&mut line).await?` reads one
    //    line; it returns Ok(0) at end of stream: if the very first read gives
    //    0, return Ok(()) without writing anything.
    // 2. Request line: split it at ' ' into exactly 3 parts METHOD PATH VERSION
    //    (trim the trailing "\r\n" first). PATH must start with '/', VERSION
    //    with "HTTP/1.". Not so → 400. Well-formed but METHOD is not "GET" → 405.
    // 3. Headers: read lines until an empty one. Each is `Name: value` (split
    //    at the first ':' and trim both; no ':' → 400). Push them into
    //    `Request::headers`. End of stream before the empty line → 400.
    //    Read all of them even when you will answer 400.
    // 4. Only for a good GET: `handler(request).await`. Ok(resp) → write it.
    //    Err(e) → write a 500, then return Err(e) unchanged.
    // 5. A response is "HTTP/1.1 {status} {reason(status)}\r\n", then the
    //    headers "Content-Type: text/plain; charset=utf-8", "Content-Length:
    //    {body.len()}" (bytes!) and "Connection: close", each ending in
    //    "\r\n", then "\r\n" and the body. `write_all(..).await?` then
    //    `flush().await?`. 400/405 are normal answers: return Ok(()).
    todo!()
}

// ----------------------------------------- exercise 2: a task per connection

/// Exercise `serve_n`: accept `connections` clients, serve each one on a
/// task of its own (all at the same time), and return once every one of
/// them has been answered. One failed connection is counted in
/// [`Stats::failed`]; it does not stop the others.
pub async fn serve_n(listener: TcpListener, handler: Handler, connections: usize) -> Result<Stats> {
    // TODO: `connections` times: `listener.accept().await?`, count it in
    // `stats.accepted`, and `smol::spawn(async move { handle_connection(stream,
    // &handler).await })` with a clone of `handler`. Do NOT await the
    // connection inside the loop (that serves one client at a time), and keep
    // every Task in a Vec (a dropped Task is cancelled).
    // After the loop, await every Task and count its result with
    // `stats.record(task.await)` — not with `?`: one client's error must not
    // stop the server. Return Ok(stats).
    todo!()
}

// ------------------------------------------- exercise 3: graceful shutdown

/// Exercise `serve`: accept and serve clients (a task each) until a message
/// arrives on `shutdown` (or every sender of it is dropped). Then stop
/// accepting — close the listener, so new clients are refused — and wait
/// for the connections still in progress to finish before returning.
pub async fn serve(
    listener: TcpListener,
    handler: Handler,
    shutdown: Receiver<()>,
) -> Result<Stats> {
    // TODO: like serve_n, but loop until shutdown. In each turn wait for
    // whichever comes first with `future::or(a, b).await`:
    //   a = async { let _ = shutdown.recv().await; None }  (Err = no senders
    //       left, which also means shut down)
    //   b = async { Some(listener.accept().await) }
    // None → leave the loop. Some(accepted) → spawn a task as in serve_n.
    // To keep the Vec of tasks small, after each spawn take out the tasks
    // that are `is_finished()` and `stats.record(task.await)` them.
    // After the loop: `drop(listener)` (new clients are refused from now on),
    // then drain: await every task still running, recording each. Return
    // Ok(stats) only after that.
    todo!()
}
