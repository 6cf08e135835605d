//! Lesson 08 — a TCP and web server on `smol::net`.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/08-web-server.md; `cargo workshop hint 8` gives
//! one hint at a time when you are stuck.
//!
//! Crates you may use: smol (smol::net, smol::io), futures-lite,
//! async-channel and anyhow.
//!
//! Requests, responses, handlers and stats are given (from the lesson
//! crate, lessons/08-web-server/src/given.rs); the three exercises follow.

#![allow(unused_variables, unused_imports, dead_code)]
use anyhow::Result;
use async_channel::Receiver;
use futures_lite::future;
use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::net::{TcpListener, TcpStream};

// GIVEN: requests, responses, handlers and stats, from the lesson crate
// (lessons/08-web-server/src/given.rs).
pub use lesson08_web_server::{Handler, Request, Response, Stats, handler, reason};

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
