//! Checks for lesson 08 — a TCP and web server. Compiled for both
//! exercises/08-web-server and solutions/08-web-server.
//!
//! The clients are plain blocking std `TcpStream`s on threads of their own,
//! talking to the server over 127.0.0.1 on a free port. Concurrency is
//! proven with probes inside the handler (a Gate that opens only when every
//! connection is in progress at once, an in-flight counter); draining is
//! proven by holding a handler until the check releases it. No check
//! measures elapsed time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream as StdStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use async_channel::{Receiver, Sender};
use futures_lite::future;
use smol::Timer;
use smol::net::TcpListener;
use testkit::Check;
use testkit::probes::{Counter, Gate, InFlight};
use web_server::{Handler, Request, Response, Stats, handle_connection, handler, serve, serve_n};

const PATIENCE: Duration = Duration::from_secs(3);
/// How long a client waits for its answer before it gives up. Longer than
/// the gates' patience, so a gate's message is what the learner sees.
const CLIENT_PATIENCE: Duration = Duration::from_secs(8);

fn check(section: &str) -> Check {
    Check::new()
        .timeout(Duration::from_secs(6))
        .section(&format!("08-web-server.md#{section}"))
}

fn read_more(section: &str) -> String {
    format!("\n  (read: book/src/08-web-server.md#{section})")
}

// ----------------------------------------------------------------- clients

/// What a client got back, taken apart.
#[derive(Debug)]
struct Reply {
    raw: String,
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Result<Reply, String> {
        let raw = String::from_utf8_lossy(bytes).to_string();
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Err(if bytes.is_empty() {
                "the server closed the connection without sending a single byte".to_string()
            } else {
                format!("the answer has no empty line (\\r\\n\\r\\n) after its headers: {raw:?}")
            });
        };
        let head = String::from_utf8_lossy(&bytes[..end]).to_string();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default().to_string();
        let headers = lines
            .map(|l| match l.split_once(':') {
                Some((n, v)) => (n.trim().to_string(), v.trim().to_string()),
                None => (l.to_string(), String::new()),
            })
            .collect();
        Ok(Reply {
            raw,
            status_line,
            headers,
            body: bytes[end + 4..].to_vec(),
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn status(&self) -> Option<u16> {
        self.status_line.split(' ').nth(1)?.parse().ok()
    }

    fn body(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    /// Fails unless this is a complete HTTP/1.1 answer with the given
    /// status: status line, Content-Length that matches the body in bytes,
    /// Connection: close.
    #[track_caller]
    fn expect(&self, status: u16, section: &str) {
        let read = read_more(section);
        assert!(
            self.status_line.starts_with("HTTP/1.1 "),
            "the answer must start with a status line such as `HTTP/1.1 200 OK`, but it \
             started with {:?}. Whole answer: {:?}{read}",
            self.status_line,
            self.raw
        );
        assert_eq!(
            self.status(),
            Some(status),
            "expected status {status} in the status line, got {:?}. Whole answer: {:?}{read}",
            self.status_line,
            self.raw
        );
        let reason = self.status_line.splitn(3, ' ').nth(2).unwrap_or("");
        assert!(
            !reason.is_empty(),
            "the status line {:?} has no reason phrase: write `HTTP/1.1 {status} {{reason}}`, \
             the phrase comes from web_server::reason({status}){read}",
            self.status_line
        );
        let length = self.header("Content-Length").unwrap_or_else(|| {
            panic!(
                "the answer has no Content-Length header, so the client cannot tell where \
                 the body ends. Headers were: {:?}{read}",
                self.headers
            )
        });
        assert_eq!(
            length.parse::<usize>().ok(),
            Some(self.body.len()),
            "Content-Length says {length:?} but the body has {} bytes ({:?}). \
             Content-Length counts BYTES: use body.len(), not body.chars().count(){read}",
            self.body.len(),
            self.body()
        );
        assert!(
            self.header("Connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close")),
            "the answer must say `Connection: close` (this server closes every connection \
             after one answer). Headers were: {:?}{read}",
            self.headers
        );
    }
}

/// Sends `request` as is and reads the answer up to EOF.
fn exchange(addr: SocketAddr, request: &[u8]) -> Result<Reply, String> {
    let mut s = StdStream::connect(addr).map_err(|e| format!("could not connect: {e}"))?;
    s.set_read_timeout(Some(CLIENT_PATIENCE)).ok();
    s.set_nodelay(true).ok();
    s.write_all(request)
        .map_err(|e| format!("could not send the request: {e}"))?;
    let mut got = Vec::new();
    match s.read_to_end(&mut got) {
        Ok(_) => Reply::parse(&got),
        Err(e) if got.is_empty() => Err(format!(
            "no answer ({e}): the server neither answered nor closed the connection"
        )),
        Err(e) => Err(format!(
            "the connection did not end after the answer ({e}); got so far: {:?}",
            String::from_utf8_lossy(&got)
        )),
    }
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: cafe.test\r\nUser-Agent: check\r\n\r\n").into_bytes()
}

fn client(addr: SocketAddr, request: Vec<u8>) -> JoinHandle<Result<Reply, String>> {
    std::thread::spawn(move || exchange(addr, &request))
}

/// The client's reply, or a failure that says what the server likely did.
#[track_caller]
fn answered(res: Result<Reply, String>, who: &str, section: &str) -> Reply {
    res.unwrap_or_else(|e| {
        panic!(
            "{who} got no proper answer: {e}.\n  Likely: the server closed the connection \
             before answering (a dropped Task cancels its connection; an error returned \
             with `?` before the response was written), or it answered and closed before \
             reading the whole request (read up to the empty line first).{}",
            read_more(section)
        )
    })
}

#[track_caller]
fn join(client: JoinHandle<Result<Reply, String>>, who: &str, section: &str) -> Reply {
    answered(
        client.join().expect("a client thread panicked"),
        who,
        section,
    )
}

/// A std listener on a free loopback port, for the server under test.
fn bind() -> (std::net::TcpListener, SocketAddr) {
    testkit::net::listener()
}

fn smol_listener(l: std::net::TcpListener) -> TcpListener {
    TcpListener::try_from(l).expect("could not make a smol listener")
}

/// A handler that answers `hello from {path}` and records every request.
fn recording_handler() -> (Handler, Receiver<Request>) {
    let (tx, rx) = async_channel::unbounded();
    let h = handler(move |req: Request| {
        let tx = tx.clone();
        async move {
            let body = format!("☕ hello from {}", req.path);
            tx.send(req).await.ok();
            Ok(Response::ok(body))
        }
    });
    (h, rx)
}

// ------------------------------------------------- exercise 1: one client

mod handle_connection {
    use super::*;

    const SECTION: &str = "exercise-handle_connection";

    /// Runs handle_connection for one client that sends `request`.
    fn one(handler: Handler, request: Vec<u8>) -> (anyhow::Result<()>, Result<Reply, String>) {
        let (l, addr) = bind();
        let client = client(addr, request);
        let res = check(SECTION)
            .hint(
                "handle_connection() blocked the thread (std::thread::sleep, blocking std \
                 I/O) or it waits for something that never comes. Read the request line, \
                 then header lines up to the EMPTY line, and stop there (do not read to the end of the stream: the client waits for your \
                 answer before it closes). read_line returns Ok(0) at end of stream.",
            )
            .run(async move {
                let listener = smol_listener(l);
                let (stream, _) = listener.accept().await.expect("accept");
                handle_connection(stream, &handler).await
            });
        (res, client.join().expect("the client thread panicked"))
    }

    #[test]
    fn answers_a_get_with_status_line_headers_and_body() {
        let (h, seen) = recording_handler();
        let (res, reply) = one(h, get("/menu"));
        let req = seen.try_recv().unwrap_or_else(|_| {
            panic!(
                "the handler was never called for `GET /menu HTTP/1.1`: parse the request \
                 line and call handler(request).await{}",
                read_more(SECTION)
            )
        });
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("GET", "/menu"),
            "the handler got the wrong method or path: {req:?}"
        );
        assert_eq!(
            req.header("host"),
            Some("cafe.test"),
            "the request sent `Host: cafe.test` but the handler got headers {:?}. Read every \
             line after the request line up to the empty line, split each at the first ':' \
             and trim name and value{}",
            req.headers,
            read_more(SECTION)
        );
        res.expect("handle_connection must return Ok(()) after a successful answer");
        let reply = answered(reply, "the client", SECTION);
        reply.expect(200, SECTION);
        assert_eq!(
            reply.body(),
            "☕ hello from /menu",
            "the body must be exactly what the handler returned"
        );
    }

    #[test]
    fn malformed_requests_get_400_and_never_reach_the_handler() {
        let cases: &[&str] = &[
            "HELLO\r\n\r\n",
            "GET\r\n\r\n",
            "GET /menu\r\n\r\n",
            "GET menu HTTP/1.1\r\n\r\n",
            "GET /menu HTTP/1.1 please\r\n\r\n",
            "GET /menu FTP/1.0\r\n\r\n",
            "GET /menu HTTP/1.1\r\nthis line is not a header\r\n\r\n",
        ];
        for case in cases {
            let calls = Counter::new();
            let c = calls.clone();
            let h = handler(move |_req: Request| {
                c.add(1);
                async { Ok(Response::ok("should not be here")) }
            });
            let (res, reply) = one(h, case.as_bytes().to_vec());
            assert_eq!(
                calls.get(),
                0,
                "the malformed request {case:?} reached the handler. Only `GET /path \
                 HTTP/1.x` with well-formed headers goes to the handler; anything else is \
                 answered with 400 Bad Request{}",
                read_more(SECTION)
            );
            let reply = reply.unwrap_or_else(|e| {
                panic!(
                    "for the malformed request {case:?} the client got no proper answer: \
                     {e}. Answer it with 400 Bad Request{}",
                    read_more(SECTION)
                )
            });
            reply.expect(400, SECTION);
            assert!(
                res.is_ok(),
                "handle_connection returned {res:?} for the malformed request {case:?}. A \
                 bad request is the client's mistake, answered with 400: that is the server \
                 doing its job, so return Ok(()){}",
                read_more(SECTION)
            );
        }
    }

    #[test]
    fn other_methods_get_405() {
        let calls = Counter::new();
        let c = calls.clone();
        let h = handler(move |_req: Request| {
            c.add(1);
            async { Ok(Response::ok("should not be here")) }
        });
        let (res, reply) = one(
            h,
            b"POST /orders HTTP/1.1\r\nHost: cafe.test\r\n\r\n".to_vec(),
        );
        assert_eq!(
            calls.get(),
            0,
            "a POST reached the handler: only GET requests do{}",
            read_more(SECTION)
        );
        let reply = answered(reply, "the client", SECTION);
        reply.expect(405, SECTION);
        assert!(
            res.is_ok(),
            "a 405 is a normal answer: return Ok(()), got {res:?}"
        );
    }

    #[test]
    fn a_handler_error_becomes_500_and_is_passed_on() {
        let h = handler(|_req: Request| async {
            Err::<Response, _>(anyhow!("the espresso machine exploded"))
        });
        let (res, reply) = one(h, get("/espresso"));
        let reply = reply.unwrap_or_else(|e| {
            panic!(
                "the handler failed and the client got no proper answer: {e}. Tell the \
                 client with a 500 Internal Server Error before you return the error{}",
                read_more(SECTION)
            )
        });
        reply.expect(500, SECTION);
        let err = res.expect_err(
            "the handler failed, so handle_connection must return that error (after \
             answering 500): a swallowed error never reaches the server's stats or logs",
        );
        assert!(
            format!("{err:#}").contains("the espresso machine exploded"),
            "handle_connection returned `{err:#}` instead of the handler's own error: pass \
             it on unchanged"
        );
    }

    #[test]
    fn a_client_that_leaves_early_is_not_a_crash() {
        // Connects and closes without a word: nothing to answer.
        let (h, seen) = recording_handler();
        let (l, addr) = bind();
        let quiet = std::thread::spawn(move || drop(StdStream::connect(addr)));
        let res = check(SECTION)
            .hint(
                "handle_connection() blocked the thread, or kept reading after the client \
                 closed. read_line returns Ok(0) at end of stream: stop there.",
            )
            .run(async move {
                let listener = smol_listener(l);
                let (stream, _) = listener.accept().await.expect("accept");
                handle_connection(stream, &h).await
            });
        quiet.join().unwrap();
        assert!(
            res.is_ok(),
            "a client that connects and closes without sending anything is not an error: \
             when the first read_line returns Ok(0), return Ok(()). Got {res:?}{}",
            read_more(SECTION)
        );
        assert!(seen.try_recv().is_err(), "no request, so no handler call");

        // Sends half a request, then closes its sending side.
        let (h, seen) = recording_handler();
        let (res, reply) = {
            let (l, addr) = bind();
            let half = std::thread::spawn(move || {
                let mut s = StdStream::connect(addr).map_err(|e| e.to_string())?;
                s.set_read_timeout(Some(CLIENT_PATIENCE)).ok();
                s.write_all(b"GET /menu HTTP/1.1\r\nHost: cafe.test\r\n")
                    .map_err(|e| e.to_string())?;
                s.shutdown(std::net::Shutdown::Write)
                    .map_err(|e| e.to_string())?;
                let mut got = Vec::new();
                s.read_to_end(&mut got).map_err(|e| e.to_string())?;
                Reply::parse(&got)
            });
            let res = check(SECTION)
                .hint(
                    "the client stopped sending in the middle of the headers and \
                     handle_connection() kept waiting (or looping). read_line returns \
                     Ok(0) at end of stream: answer 400 then.",
                )
                .run(async move {
                    let listener = smol_listener(l);
                    let (stream, _) = listener.accept().await.expect("accept");
                    handle_connection(stream, &h).await
                });
            (res, half.join().unwrap())
        };
        assert!(
            seen.try_recv().is_err(),
            "a request whose headers never ended (no empty line before the end of the \
             stream) reached the handler: it is incomplete, answer 400{}",
            read_more(SECTION)
        );
        let reply = reply.unwrap_or_else(|e| {
            panic!("a request cut off in its headers must get a 400, but the client got: {e}")
        });
        reply.expect(400, SECTION);
        assert!(
            res.is_ok(),
            "a cut-off request is answered with 400 and Ok(()), got {res:?}"
        );
    }

    const EARLY: &str = "the server answered before the request was complete: the client \
         had sent the request line and part of the headers, but not the empty line that ends \
         them, and a reply had already arrived. Read header lines up to the empty line \
         before you answer (also before a 400 or a 405): a client that is still sending \
         when the server closes may never see the reply.";

    /// A reply of 256 KiB through a socket whose buffers hold about 4 KiB:
    /// most writes come back partial, and every byte must still arrive.
    #[test]
    fn a_big_reply_arrives_whole_through_small_buffers() {
        const BIG: usize = 256 * 1024;
        let (mut client, server) = testkit::net::pair_small_buffers();
        let h = handler(|_req: Request| async { Ok(Response::ok("☕".repeat(BIG / 3))) });
        client.set_read_timeout(Some(CLIENT_PATIENCE)).ok();
        let reader = std::thread::spawn(move || {
            client.write_all(&get("/big")).map_err(|e| e.to_string())?;
            let mut got = Vec::new();
            client.read_to_end(&mut got).map_err(|e| e.to_string())?;
            Ok::<_, String>(got)
        });
        let res = check(SECTION)
            .hint(
                "handle_connection() never finished writing a 256 KiB reply through a socket \
                 with small buffers. Write with write_all(..).await, which waits for room \
                 without blocking the thread.",
            )
            .run(async move {
                let stream = smol::net::TcpStream::try_from(server).expect("an async socket");
                handle_connection(stream, &h).await
            });
        let got = reader.join().expect("the client thread panicked");
        let got = got.unwrap_or_else(|e| panic!("the client could not read the reply: {e}"));
        let body_len = got
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|at| got.len() - at - 4);
        let want = "☕".repeat(BIG / 3).len();
        assert!(
            body_len == Some(want),
            "the handler's reply has a body of {want} bytes; through a socket whose buffers \
             hold about 4 KiB the client got {} bytes in all (body: {body_len:?}). A write \
             to a socket may take only part of the buffer and says how much it took; \
             `write(..)` with the count ignored loses the rest. Use write_all(..).await \
             (it loops until every byte is taken), and flush.{}",
            got.len(),
            read_more(SECTION)
        );
        assert!(
            res.is_ok(),
            "handle_connection must return Ok(()), got {res:?}"
        );
    }

    #[test]
    fn reads_a_request_that_arrives_in_pieces() {
        let (h, seen) = recording_handler();
        let (l, addr) = bind();
        let slow = std::thread::spawn(move || {
            let mut s = StdStream::connect(addr).map_err(|e| e.to_string())?;
            s.set_read_timeout(Some(CLIENT_PATIENCE)).ok();
            s.set_nodelay(true).ok();
            let pieces = ["GET /sl", "ow HTTP/1.1\r\nHo", "st: cafe.test\r\n", "\r\n"];
            for (i, piece) in pieces.iter().enumerate() {
                s.write_all(piece.as_bytes()).map_err(|e| e.to_string())?;
                // The client dawdles; the server must wait without blocking.
                std::thread::sleep(Duration::from_millis(60));
                if i == pieces.len() - 2 {
                    // The headers are not finished yet: nothing may have
                    // come back. (A correct server never answers here, so
                    // this can only fail a server that answered early.)
                    s.set_nonblocking(true).ok();
                    let mut one = [0u8; 1];
                    let early = matches!(s.peek(&mut one), Ok(n) if n > 0);
                    s.set_nonblocking(false).ok();
                    if early {
                        return Err(EARLY.to_string());
                    }
                }
            }
            let mut got = Vec::new();
            s.read_to_end(&mut got).map_err(|e| e.to_string())?;
            Reply::parse(&got)
        });
        let res = check(SECTION)
            .hint(
                "the request came in several pieces. Read with \
                 BufReader::read_line(..).await, which waits for the whole line without \
                 blocking the thread.",
            )
            .run(async move {
                let listener = smol_listener(l);
                let (stream, _) = listener.accept().await.expect("accept");
                handle_connection(stream, &h).await
            });
        let reply = slow.join().unwrap();
        if let Err(e) = &reply
            && e == EARLY
        {
            panic!("{EARLY}{}", read_more(SECTION));
        }
        res.expect("handle_connection must return Ok(())");
        let req = seen.try_recv().expect("the handler must be called once");
        assert_eq!(
            req.path, "/slow",
            "the path is the whole second word of the line"
        );
        assert_eq!(
            req.header("host"),
            Some("cafe.test"),
            "the request's header `Host: cafe.test` arrived in two pieces, and the handler \
             got the request without it: handle_connection answered before it had read the \
             headers. Read header lines (each with read_line(..).await) up to the empty line, \
             and only then call the handler.{}",
            read_more(SECTION)
        );
        answered(reply, "the client", SECTION).expect(200, SECTION);
    }
}

// ------------------------------------------ exercise 2: a task per connection

mod serve_n {
    use super::*;

    const SECTION: &str = "exercise-serve_n";

    #[test]
    fn answers_100_clients_at_the_same_time() {
        const N: usize = 100;
        let gate = Gate::with(
            N,
            PATIENCE,
            &format!(
                "serve_n() served the connections one at a time: it awaited each \
                 connection before it accepted the next, so the other clients waited in \
                 line. In the accept loop, smol::spawn a task for each connection and go \
                 straight back to accept(); do not .await the connection (or its Task) \
                 inside the loop.{}",
                read_more(SECTION)
            ),
        );
        let inflight = InFlight::new();
        let (g, probe) = (gate.clone(), inflight.clone());
        let h = handler(move |req: Request| {
            let (gate, probe) = (g.clone(), probe.clone());
            async move {
                let _in = probe.enter();
                gate.wait().await;
                Ok(Response::ok(format!("hello {}", req.path)))
            }
        });
        let (l, addr) = bind();
        let clients: Vec<_> = (0..N)
            .map(|i| client(addr, get(&format!("/client/{i}"))))
            .collect();
        let stats = check(SECTION)
            .hint(
                "serve_n() did not finish. Accept exactly `connections` clients, spawn a \
                 task for each, then await every Task.",
            )
            .run(async move { serve_n(smol_listener(l), h, N).await });
        let stats = stats.unwrap_or_else(|e| panic!("serve_n returned Err: {e:#}"));
        for (i, c) in clients.into_iter().enumerate() {
            let reply = join(c, &format!("client {i}"), SECTION);
            reply.expect(200, SECTION);
            assert_eq!(reply.body(), format!("hello /client/{i}"));
        }
        assert_eq!(
            inflight.max(),
            N,
            "expected all {N} connections in progress at once, at most {} were{}",
            inflight.max(),
            read_more(SECTION)
        );
        assert_eq!(
            stats,
            Stats {
                accepted: N,
                ok: N,
                failed: 0
            },
            "serve_n must count {N} accepted and {N} ok connections: call \
             stats.record(task.await) for every task{}",
            read_more(SECTION)
        );
    }

    #[test]
    fn returns_only_after_every_connection_is_answered() {
        const N: usize = 10;
        let inflight = InFlight::new();
        let (entered_tx, entered_rx) = async_channel::unbounded::<()>();
        let (release_tx, release_rx) = async_channel::unbounded::<()>();
        let gate = Gate::with(
            N,
            PATIENCE,
            &format!(
                "serve_n() served the connections one at a time: spawn a task per \
                 connection and go straight back to accept().{}",
                read_more(SECTION)
            ),
        );
        let probe = inflight.clone();
        let h = handler(move |_req: Request| {
            let (probe, gate, entered, release) = (
                probe.clone(),
                gate.clone(),
                entered_tx.clone(),
                release_rx.clone(),
            );
            async move {
                let _in = probe.enter();
                gate.wait().await;
                entered.send(()).await.ok();
                // Held here until the check closes the release channel.
                release.recv().await.ok();
                Ok(Response::ok("released"))
            }
        });
        let (l, addr) = bind();
        let clients: Vec<_> = (0..N).map(|_| client(addr, get("/hold"))).collect();
        let probe = inflight.clone();
        let stats = check(SECTION)
            .hint(
                "serve_n() did not finish after every handler was released: await every \
                 Task you spawned.",
            )
            .run(async move {
                let mut server = Box::pin(serve_n(smol_listener(l), h, N));
                let early = future::or(async { Some((&mut server).await) }, async {
                    for _ in 0..N {
                        entered_rx.recv().await.ok();
                    }
                    None
                })
                .await;
                if let Some(res) = early {
                    panic!(
                        "serve_n returned ({res:?}) while {} of {N} connections were still \
                         inside their handler and had not been answered. Either the Tasks \
                         were detached or dropped (dropping a Task cancels it), or they were \
                         never awaited. Keep every Task and await them all before returning.{}",
                        probe.current(),
                        read_more(SECTION)
                    );
                }
                drop(release_tx); // let every handler finish
                server.await
            });
        let stats = stats.unwrap_or_else(|e| panic!("serve_n returned Err: {e:#}"));
        for (i, c) in clients.into_iter().enumerate() {
            let reply = join(c, &format!("client {i}"), SECTION);
            reply.expect(200, SECTION);
            assert_eq!(reply.body(), "released");
        }
        assert_eq!(
            stats,
            Stats {
                accepted: N,
                ok: N,
                failed: 0
            }
        );
    }

    #[test]
    fn one_failing_connection_does_not_stop_the_others() {
        const N: usize = 6;
        let h = handler(|req: Request| async move {
            if req.path.starts_with("/boom") {
                Err(anyhow!("the grinder jammed on {}", req.path))
            } else {
                Ok(Response::ok("fine"))
            }
        });
        let (l, addr) = bind();
        let paths: Vec<String> = (0..N)
            .map(|i| {
                if i % 3 == 0 {
                    format!("/boom/{i}")
                } else {
                    format!("/fine/{i}")
                }
            })
            .collect();
        let clients: Vec<_> = paths.iter().map(|p| client(addr, get(p))).collect();
        let res = check(SECTION).run(async move { serve_n(smol_listener(l), h, N).await });
        let stats = res.unwrap_or_else(|e| {
            panic!(
                "serve_n returned Err({e:#}): one connection's failure stopped the whole \
                 server. A connection's error belongs to that connection: count it with \
                 stats.record(task.await) instead of returning it with `?`{}",
                read_more(SECTION)
            )
        });
        for (c, p) in clients.into_iter().zip(&paths) {
            let reply = join(c, &format!("client for {p}"), SECTION);
            reply.expect(if p.starts_with("/boom") { 500 } else { 200 }, SECTION);
        }
        assert_eq!(
            stats,
            Stats {
                accepted: N,
                ok: 4,
                failed: 2
            },
            "2 of the {N} handlers failed: expected them counted in Stats::failed{}",
            read_more(SECTION)
        );
    }
}

// -------------------------------------------- exercise 3: graceful shutdown

mod serve {
    use super::*;

    const SECTION: &str = "exercise-serve";

    fn shutdown_channel() -> (Sender<()>, Receiver<()>) {
        async_channel::bounded(1)
    }

    async fn assert_refused(addr: SocketAddr, when: &str) {
        if smol::net::TcpStream::connect(addr).await.is_ok() {
            panic!(
                "a new client could still connect {when}. Stop accepting means closing the \
                 listener: drop it as soon as the shutdown signal arrives, so new clients \
                 are refused at once instead of waiting in the queue.{}",
                read_more(SECTION)
            );
        }
    }

    #[test]
    fn serves_50_clients_at_once_until_shutdown() {
        const N: usize = 50;
        let gate = Gate::with(
            N,
            PATIENCE,
            &format!(
                "serve() served the connections one at a time: spawn a task per \
                 connection and go straight back to accept().{}",
                read_more(SECTION)
            ),
        );
        let g = gate.clone();
        let h = handler(move |req: Request| {
            let gate = g.clone();
            async move {
                gate.wait().await;
                Ok(Response::ok(format!("hello {}", req.path)))
            }
        });
        let (l, addr) = bind();
        let (tx, rx) = shutdown_channel();
        let (done_tx, done_rx) = async_channel::bounded(1);
        std::thread::spawn(move || {
            let clients: Vec<_> = (0..N)
                .map(|i| client(addr, get(&format!("/c/{i}"))))
                .collect();
            let replies: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
            done_tx.send_blocking(replies).ok();
        });
        let (stats, replies) = check(SECTION)
            .hint(
                "serve() did not return after the shutdown message. Wait for \
                 `shutdown.recv()` and `listener.accept()` at the same time \
                 (futures_lite::future::or) and leave the loop when shutdown wins.",
            )
            .run(async move {
                future::zip(serve(smol_listener(l), h, rx), async move {
                    let replies = done_rx.recv().await.expect("the clients finished");
                    tx.send(()).await.ok();
                    replies
                })
                .await
            });
        for (i, r) in replies.into_iter().enumerate() {
            let reply = r.unwrap_or_else(|e| panic!("client {i}: {e}"));
            reply.expect(200, SECTION);
            assert_eq!(reply.body(), format!("hello /c/{i}"));
        }
        let stats = stats.unwrap_or_else(|e| panic!("serve returned Err: {e:#}"));
        assert_eq!(
            stats,
            Stats {
                accepted: N,
                ok: N,
                failed: 0
            },
            "expected every connection counted once: stats.record(task.await) for each task{}",
            read_more(SECTION)
        );
    }

    #[test]
    fn an_idle_server_stops_on_shutdown_and_refuses_new_clients() {
        let (h, _seen) = recording_handler();
        let (l, addr) = bind();
        let (tx, rx) = shutdown_channel();
        let stats = check(SECTION)
            .hint(
                "serve() was waiting in accept() and never noticed the shutdown message. \
                 Race `shutdown.recv()` against `listener.accept()` with \
                 futures_lite::future::or, and leave the loop when shutdown wins.",
            )
            .run(async move {
                let mut server = Box::pin(serve(smol_listener(l), h, rx));
                if let Some(res) = future::poll_once(&mut server).await {
                    panic!(
                        "serve returned ({res:?}) before any shutdown signal: it must keep \
                         accepting until shutdown{}",
                        read_more(SECTION)
                    );
                }
                tx.send(())
                    .await
                    .expect("serve dropped the shutdown receiver");
                let stats = server.await;
                assert_refused(addr, "after serve() returned").await;
                stats
            });
        let stats = stats.unwrap_or_else(|e| panic!("serve returned Err: {e:#}"));
        assert_eq!(
            stats,
            Stats::default(),
            "no clients came, so nothing to count"
        );
    }

    #[test]
    fn dropping_every_sender_also_means_shutdown() {
        let (h, _seen) = recording_handler();
        let (l, _addr) = bind();
        let (tx, rx) = shutdown_channel();
        let stats = check(SECTION)
            .hint(
                "all senders of the shutdown channel were dropped and serve() did not stop. \
                 shutdown.recv() then returns Err(RecvError) at once: treat it like a \
                 shutdown message (`let _ = shutdown.recv().await;`), do not ignore it and \
                 loop again.",
            )
            .run(async move {
                let mut server = Box::pin(serve(smol_listener(l), h, rx));
                if let Some(res) = future::poll_once(&mut server).await {
                    panic!("serve returned ({res:?}) before any shutdown signal");
                }
                drop(tx);
                server.await
            });
        stats.unwrap_or_else(|e| panic!("serve returned Err: {e:#}"));
    }

    #[test]
    fn drains_a_connection_in_progress_before_returning() {
        let (entered_tx, entered_rx) = async_channel::unbounded::<()>();
        let (release_tx, release_rx) = async_channel::unbounded::<()>();
        let h = handler(move |_req: Request| {
            let (entered, release) = (entered_tx.clone(), release_rx.clone());
            async move {
                entered.send(()).await.ok();
                release.recv().await.ok();
                Ok(Response::ok("finished after the shutdown"))
            }
        });
        let (l, addr) = bind();
        let (tx, rx) = shutdown_channel();
        let slow = client(addr, get("/slow"));
        let stats = check(SECTION)
            .hint(
                "serve() did not return after shutdown, even though its last connection \
                 was released. After the loop, await each Task still running, then return.",
            )
            .run(async move {
                let mut server = Box::pin(serve(smol_listener(l), h, rx));
                // 1. Run the server until the request is inside the handler.
                let early = future::or(async { Some((&mut server).await) }, async {
                    entered_rx.recv().await.ok();
                    None
                })
                .await;
                if let Some(res) = early {
                    panic!("serve returned ({res:?}) before any shutdown signal");
                }
                // 2. Shutdown, while that connection is still being handled.
                tx.send(())
                    .await
                    .expect("serve dropped the shutdown receiver");
                let not_drained = |res: &anyhow::Result<Stats>| -> String {
                    format!(
                        "serve() did not drain its connections: it returned ({res:?}) as \
                         soon as shutdown came, while a connection was still in progress. \
                         A graceful shutdown stops accepting, then DRAINS: await every Task \
                         still running before returning. Dropping the Tasks instead cancels \
                         those connections halfway.{}",
                        read_more(SECTION)
                    )
                };
                let gave_up = Instant::now() + PATIENCE;
                while !tx.is_empty() {
                    if let Some(res) = future::poll_once(&mut server).await {
                        panic!("{}", not_drained(&res));
                    }
                    if Instant::now() > gave_up {
                        panic!(
                            "serve() did not take the shutdown message within {} s while it \
                             waited for new clients. Race `shutdown.recv()` against \
                             `listener.accept()` (futures_lite::future::or): checking for \
                             shutdown only between two accepts waits for a client that may \
                             never come.{}",
                            PATIENCE.as_secs(),
                            read_more(SECTION)
                        );
                    }
                    Timer::after(Duration::from_millis(5)).await;
                }
                // Give it some more turns: a serve that does not drain returns now.
                for _ in 0..20 {
                    if let Some(res) = future::poll_once(&mut server).await {
                        panic!("{}", not_drained(&res));
                    }
                    Timer::after(Duration::from_millis(1)).await;
                }
                // 3. New clients are refused while the old one is drained.
                assert_refused(addr, "after the shutdown message, while serve() drained").await;
                // 4. Let the connection finish; now serve may return.
                drop(release_tx);
                server.await
            });
        let reply = join(slow, "the client in progress at shutdown", SECTION);
        reply.expect(200, SECTION);
        assert_eq!(reply.body(), "finished after the shutdown");
        let stats = stats.unwrap_or_else(|e| panic!("serve returned Err: {e:#}"));
        assert_eq!(
            stats,
            Stats {
                accepted: 1,
                ok: 1,
                failed: 0
            },
            "the drained connection must be counted too{}",
            read_more(SECTION)
        );
    }

    #[test]
    fn keeps_serving_after_a_bad_request_and_a_failed_handler() {
        let h = handler(|req: Request| async move {
            if req.path == "/boom" {
                Err(anyhow!("the milk frother caught fire"))
            } else {
                Ok(Response::ok("still here"))
            }
        });
        let (l, addr) = bind();
        let (tx, rx) = shutdown_channel();
        let (done_tx, done_rx) = async_channel::bounded(1);
        // One client after the other: each waits for its answer first.
        std::thread::spawn(move || {
            let replies: Vec<_> = [
                b"BREW /coffee HTCPCP/1.0\r\n\r\n".to_vec(),
                get("/boom"),
                get("/fine"),
            ]
            .iter()
            .map(|req| exchange(addr, req))
            .collect();
            done_tx.send_blocking(replies).ok();
        });
        let (stats, replies) = check(SECTION)
            .hint("serve() did not return after the shutdown message.")
            .run(async move {
                future::zip(serve(smol_listener(l), h, rx), async move {
                    let replies = done_rx.recv().await.expect("the clients finished");
                    tx.send(()).await.ok();
                    replies
                })
                .await
            });
        let stats = stats.unwrap_or_else(|e| {
            panic!(
                "serve returned Err({e:#}): one connection's failure stopped the server. \
                 Count it with stats.record(task.await) and keep accepting{}",
                read_more(SECTION)
            )
        });
        let names = [
            "a malformed request",
            "a request whose handler failed",
            "the next client",
        ];
        for ((r, name), status) in replies.into_iter().zip(names).zip([400, 500, 200]) {
            let reply = r.unwrap_or_else(|e| {
                panic!(
                    "{name} got no proper answer: {e}. The server must survive a bad \
                     request and a failed handler and keep serving{}",
                    read_more(SECTION)
                )
            });
            reply.expect(status, SECTION);
        }
        assert_eq!(
            stats,
            Stats {
                accepted: 3,
                ok: 2,
                failed: 1
            },
            "the 400 counts as ok (answered), the failed handler as failed{}",
            read_more(SECTION)
        );
    }
}
