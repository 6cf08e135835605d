//! Lesson 08 — a TCP and web server on `smol::net`.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/08-web-server.md; `cargo workshop hint 8` gives
//! one hint at a time when you are stuck.
//!
//! Crates you may use: smol (smol::net, smol::io), futures-lite,
//! async-channel and anyhow.
//!
//! The first part of this file (requests, responses, handlers, stats) is
//! given; the three exercises follow it.

#![allow(unused_variables, unused_imports, dead_code)]
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

// Room for your own helpers (parsing, writing a response).

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
    todo!()
}

// ----------------------------------------- exercise 2: a task per connection

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
    todo!()
}

// ------------------------------------------- exercise 3: graceful shutdown

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
    todo!()
}
