//! Given code of the exercises: requests, responses, handlers and stats.
//! The exercise and the solution re-export them.

use std::future::Future;
use std::sync::Arc;

use anyhow::Result;
use futures_lite::future::Boxed;

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
    /// Connections whose `handle_connection` returned `Ok` (a `400` for a
    /// malformed request counts here: the server did its job).
    pub ok: usize,
    /// Connections whose `handle_connection` returned `Err`.
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
