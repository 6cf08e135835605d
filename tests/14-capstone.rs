//! Checks for lesson 14 — the capstone server. Compiled for both
//! exercises/14-capstone and solutions/14-capstone.
//!
//! Every check runs the server and its clients as tasks on one executor,
//! under the testkit watchdog and blocking detector. Limits are tiny and the
//! idle timeout short, so every abuse ends in well under a second; what is
//! asserted is always an event (a line, an end of stream, a counter), never
//! how long something took. A timer only decides that a *failing* solution
//! has had its chance.

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use async_executor::Executor;
use async_net::{TcpListener, TcpStream};
use capstone::{
    BUSY, Config, End, GREETING, IDLE, Idle, Line, SHUTTING_DOWN, Shutdown, Stats, handle_client,
    read_line_limited, serve, with_idle_timeout,
};
use futures_lite::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader, Cursor};
use futures_lite::{FutureExt, StreamExt, future};
use smol::Timer;
use testkit::Check;
use testkit::probes::{DropProbe, InFlight};

// ------------------------------------------------------ heap per thread

#[global_allocator]
static HEAP: testkit::heap::CountingAlloc = testkit::heap::CountingAlloc;

/// How long a failing solution gets before a check gives up on an event.
const PATIENCE: Duration = Duration::from_secs(3);
/// The watchdog for every check: above PATIENCE, well below 10 s.
const WATCHDOG: Duration = Duration::from_secs(6);
/// How long a check waits for an event that a correct server sends at once
/// (a greeting, the shutdown line): the specific diagnosis of a server that
/// never sends it must come before any generic timeout.
const SOON: Duration = Duration::from_millis(1500);

fn check(section: &str) -> Check {
    Check::new()
        .section(&format!("14-capstone.md#{section}"))
        .timeout(WATCHDOG)
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/14-capstone.md#{section})")
}

/// Small limits for the checks.
fn small_config() -> Config {
    Config {
        max_connections: 8,
        max_line: 1024,
        idle_timeout: Duration::from_secs(30),
        queue_len: 4,
    }
}

type Panic = Box<dyn std::any::Any + Send>;

/// What a check's body gets: the executor, and a way to spawn the learner's
/// code so that a panic in it (a `todo!()`, an `unwrap`) fails the check
/// with its own message instead of leaving a silent dead task behind.
#[derive(Clone)]
struct Ctx {
    ex: Arc<Executor<'static>>,
    panics: async_channel::Sender<Panic>,
}

impl Ctx {
    fn spawn<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> async_executor::Task<T> {
        // Boxed, so that every spawned future of one output type shares one
        // task type (less for the compiler to instantiate in this file).
        self.ex.spawn(boxed(fut))
    }

    /// Spawns learner code: a panic inside it is passed to the check.
    fn spawn_learner<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> async_executor::Task<T> {
        let panics = self.panics.clone();
        self.ex.spawn(boxed(async move {
            match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(v) => v,
                Err(p) => {
                    let _ = panics.try_send(p);
                    future::pending().await
                }
            }
        }))
    }
}

type Boxed<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

fn boxed<T>(fut: impl Future<Output = T> + Send + 'static) -> Boxed<T> {
    Box::pin(fut)
}

/// Runs `body` on a fresh multi-task executor, itself run by the check (so
/// the blocking detector sees every poll of every task, server and client).
fn on_executor<T, Fut>(check: Check, body: impl FnOnce(Ctx) -> Fut) -> T
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let ex = Arc::new(Executor::new());
    let (panics, caught) = async_channel::unbounded::<Panic>();
    let fut = body(Ctx {
        ex: ex.clone(),
        panics,
    });
    // Only this line knows T: the executor and the relay below are compiled
    // once for every check, not once per check.
    let fut = boxed(async move { Box::new(fut.await) as Box<dyn Any + Send> });
    *on_executor_erased(check, ex, fut, caught)
        .downcast::<T>()
        .expect("the body's output")
}

fn on_executor_erased(
    check: Check,
    ex: Arc<Executor<'static>>,
    fut: Boxed<Box<dyn Any + Send>>,
    caught: async_channel::Receiver<Panic>,
) -> Box<dyn Any + Send> {
    check.run(async move {
        let relay = async move {
            let p = caught.recv().await.expect("the sender lives in the body");
            resume_unwind(p)
        };
        ex.run(future::or(fut, relay)).await
    })
}

/// Waits for `fut`; after PATIENCE fails the check with `why`.
async fn within<T>(fut: impl Future<Output = T>, why: &str) -> T {
    within_for(PATIENCE, fut, why).await
}

/// Waits for `fut`; after `patience` fails the check with `why`.
async fn within_for<T>(patience: Duration, fut: impl Future<Output = T>, why: &str) -> T {
    future::or(fut, async {
        Timer::after(patience).await;
        panic!(
            "waited {:.1} s for an event that never came: {why}",
            patience.as_secs_f32()
        )
    })
    .await
}

/// Waits until `cond` holds (checked every few ms); after PATIENCE fails
/// with `why`.
async fn until(mut cond: impl FnMut() -> bool, why: &str) {
    within(
        async {
            while !cond() {
                Timer::after(Duration::from_millis(2)).await;
            }
        },
        why,
    )
    .await
}

// ------------------------------------------------------------------ client

/// A test client: line in, line out.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr)
            .await
            .expect("connect to the server");
        s.set_nodelay(true).ok();
        Client {
            reader: BufReader::new(s.clone()),
            writer: s,
        }
    }

    /// Connects and expects the greeting.
    async fn admitted(addr: SocketAddr, section: &str) -> Client {
        Client::greeted(addr, section, "the greeting of a new client").await
    }

    /// Connects and expects the greeting at once; `no_greeting` says what
    /// it means when none comes.
    async fn greeted(addr: SocketAddr, section: &str, no_greeting: &str) -> Client {
        let mut c = Client::connect(addr).await;
        let first = c.line_within(SOON, no_greeting).await;
        if first.as_deref() != Some(GREETING) {
            // A panic in the server (a todo!()) closes the connection too:
            // give the check a moment to report the panic itself instead.
            Timer::after(Duration::from_millis(50)).await;
        }
        assert_eq!(
            first.as_deref(),
            Some(GREETING),
            "a new client must first get {GREETING:?}, got {first:?}.{}",
            read(section)
        );
        c
    }

    fn local(&self) -> SocketAddr {
        self.writer.local_addr().expect("local_addr")
    }

    async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .await
            .expect("send to the server");
        self.writer.flush().await.expect("flush");
    }

    async fn send(&mut self, line: &str) {
        self.send_raw(format!("{line}\n").as_bytes()).await;
    }

    /// The next line from the server, `None` when it closed the connection
    /// (or reset it). Fails the check after PATIENCE.
    async fn line(&mut self, waiting_for: &str) -> Option<String> {
        self.line_within(
            PATIENCE,
            &format!("no line from the server ({waiting_for})"),
        )
        .await
    }

    /// The next line, `None` when closed; after `patience` fails the check
    /// with `why`.
    async fn line_within(&mut self, patience: Duration, why: &str) -> Option<String> {
        let mut buf = Vec::new();
        let got = within_for(patience, self.reader.read_until(b'\n', &mut buf), why).await;
        match got {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                Some(String::from_utf8_lossy(&buf).into_owned())
            }
        }
    }

    /// Sends `request`, returns the reply (None: closed).
    async fn ask(&mut self, request: &str) -> Option<String> {
        self.send(request).await;
        self.line(&format!("the reply to {request:?}")).await
    }

    /// Expects the server to close this connection now (after any lines
    /// listed in `then` have come).
    async fn expect_closed(&mut self, what: &str, section: &str) {
        let next = self.line(what).await;
        assert_eq!(
            next,
            None,
            "expected the server to close the connection ({what}), but it sent {next:?}.{}",
            read(section)
        );
    }
}

/// Checks that a brand-new client is served normally: the server survived.
async fn fresh_client_is_served(addr: SocketAddr, after: &str, section: &str) {
    let mut c = Client::admitted(addr, section).await;
    let pong = c.ask("PING").await;
    assert_eq!(
        pong.as_deref(),
        Some("PONG"),
        "after {after}, a fresh client sent PING and got {pong:?} instead of \"PONG\": one \
         bad client must never hurt the others.{}",
        read(section)
    );
    let echo = c.ask("ECHO still here").await;
    assert_eq!(echo.as_deref(), Some("still here"), "ECHO after {after}");
    let bye = c.ask("QUIT").await;
    assert_eq!(bye.as_deref(), Some("BYE"), "QUIT after {after}");
}

// --------------------------------------------------- the handler harness

/// A test-side accept loop that serves each client with `handle_client`
/// and reports how each one ended: it checks `handle_client` without
/// needing `serve`.
struct Harness {
    addr: SocketAddr,
    shutdown: Shutdown,
    ends: async_channel::Receiver<Result<End, String>>,
    inflight: InFlight,
}

impl Harness {
    async fn start(ctx: &Ctx, cfg: Config) -> Harness {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let shutdown = Shutdown::new();
        let (tx, ends) = async_channel::unbounded();
        let inflight = InFlight::new();
        let (ctx2, sd, probe) = (ctx.clone(), shutdown.clone(), inflight.clone());
        ctx.spawn(async move {
            let mut incoming = listener.incoming();
            while let Some(Ok(stream)) = incoming.next().await {
                let (cfg, sd, probe, tx) = (cfg.clone(), sd.clone(), probe.clone(), tx.clone());
                ctx2.spawn_learner(async move {
                    let end = {
                        let _in = probe.enter();
                        handle_client(stream, &cfg, &sd).await
                    };
                    let _ = tx.send(end.map_err(|e| format!("{e:#}"))).await;
                })
                .detach();
            }
        })
        .detach();
        Harness {
            addr,
            shutdown,
            ends,
            inflight,
        }
    }

    /// How the next client to finish ended.
    async fn next_end(&self, waiting_for: &str) -> Result<End, String> {
        within(
            self.ends.recv(),
            &format!("handle_client never returned ({waiting_for})"),
        )
        .await
        .expect("the harness is alive")
    }

    async fn all_done(&self, section: &str) {
        let probe = self.inflight.clone();
        until(
            move || probe.current() == 0,
            &format!(
                "handle_client was still running for {} client(s) after every client had \
                 gone{}",
                self.inflight.current(),
                read(section)
            ),
        )
        .await;
    }
}

// --------------------------------------------------------------- readers

/// A reader of `len` bytes of `a` with no newline, counting what is taken.
/// Like a socket, it is not always ready: every 8th read it says "not yet"
/// (and wakes itself), so a reader that never stops does not look like a
/// blocking call.
struct Flood {
    left: usize,
    taken: Arc<AtomicUsize>,
    reads: usize,
}

impl AsyncRead for Flood {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<std::io::Result<usize>> {
        self.reads += 1;
        if self.reads == 8 {
            self.reads = 0;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(b'a');
        self.left -= n;
        self.taken.fetch_add(n, Ordering::SeqCst);
        Poll::Ready(Ok(n))
    }
}

mod read_line_limited {
    use super::*;

    const SECTION: &str = "exercise-read_line_limited";

    #[test]
    fn reads_lines_one_at_a_time() {
        let lines = check(SECTION).run(async {
            let mut r = Cursor::new(b"PING\nECHO hi\r\n\nlast".to_vec());
            let mut out = Vec::new();
            for _ in 0..5 {
                out.push(read_line_limited(&mut r, 100).await.expect("no I/O error"));
            }
            out
        });
        let want = vec![
            Line::Text(b"PING".to_vec()),
            Line::Text(b"ECHO hi\r".to_vec()),
            Line::Text(Vec::new()),
            Line::Text(b"last".to_vec()),
            Line::Eof,
        ];
        assert_eq!(
            lines,
            want,
            "reading \"PING\\nECHO hi\\r\\n\\nlast\" line by line must give each line without \
             its \\n (an empty line is Text(empty), a last line without \\n is still Text), \
             then Eof.{}",
            read(SECTION)
        );
    }

    #[test]
    fn a_line_of_exactly_max_bytes_is_fine_one_more_is_too_long() {
        let got = check(SECTION).run(async {
            let mut r = Cursor::new(b"12345678\n123456789\n".to_vec());
            let a = read_line_limited(&mut r, 8).await.expect("no I/O error");
            let b = read_line_limited(&mut r, 8).await.expect("no I/O error");
            (a, b)
        });
        assert_eq!(
            got.0,
            Line::Text(b"12345678".to_vec()),
            "with max = 8, a line of exactly 8 bytes (plus \\n) is allowed. Read up to max + 1 \
             bytes, so the \\n of a full-length line fits.{}",
            read(SECTION)
        );
        assert_eq!(
            got.1,
            Line::TooLong,
            "with max = 8, a line of 9 bytes is TooLong.{}",
            read(SECTION)
        );
    }

    #[test]
    fn a_last_line_of_exactly_max_bytes_needs_no_newline() {
        let got = check(SECTION).run(async {
            let mut r = Cursor::new(b"12345678".to_vec());
            let a = read_line_limited(&mut r, 8).await.expect("no I/O error");
            let b = read_line_limited(&mut r, 8).await.expect("no I/O error");
            (a, b)
        });
        assert_eq!(
            got,
            (Line::Text(b"12345678".to_vec()), Line::Eof),
            "with max = 8, a last line of exactly 8 bytes with no \\n after it is still within \
             the limit: it is Text, then Eof. Only a line of max + 1 bytes or more is \
             TooLong (an off-by-one at the limit: `>` versus `>=`).{}",
            read(SECTION)
        );
    }

    #[test]
    fn stops_at_the_limit_without_buffering_the_rest() {
        const FLOOD: usize = 8 << 20;
        let taken = Arc::new(AtomicUsize::new(0));
        let t = taken.clone();
        let got = check(SECTION).run(async move {
            let flood = Flood {
                left: FLOOD,
                taken: t,
                reads: 0,
            };
            let mut r = BufReader::with_capacity(64, flood);
            read_line_limited(&mut r, 1024).await.expect("no I/O error")
        });
        let taken = taken.load(Ordering::SeqCst);
        assert!(
            taken <= 1024 + 1 + 64,
            "a client sent an 8 MiB line without a newline and read_line_limited(max = 1024) \
             took {taken} bytes out of the stream before it gave up. An unbounded read \
             (read_line / read_until on the stream itself) keeps buffering until a newline \
             comes: one client can eat all the memory. Read through `take(max + 1)`.{}",
            read(SECTION)
        );
        assert_eq!(
            got,
            Line::TooLong,
            "a line longer than max must come back as Line::TooLong.{}",
            read(SECTION)
        );
    }

    #[test]
    fn keeps_bytes_that_are_not_utf8() {
        let got = check(SECTION).run(async {
            let mut r = Cursor::new(b"\xff\xfe ok\n".to_vec());
            read_line_limited(&mut r, 100).await
        });
        match got {
            Ok(Line::Text(bytes)) => assert_eq!(bytes, b"\xff\xfe ok".to_vec()),
            other => panic!(
                "a line that is not valid UTF-8 must come back as Line::Text with its bytes \
                 (the protocol decides what to answer), got {other:?}. Read bytes \
                 (read_until), not a String (read_line fails on bad UTF-8).{}",
                read(SECTION)
            ),
        }
    }
}

mod with_idle_timeout {
    use super::*;

    const SECTION: &str = "exercise-with_idle_timeout";
    /// Every future here is done (or given up on) in well under a second;
    /// a wait that holds the thread is caught by the watchdog in 2 s.
    const QUICK: Duration = Duration::from_secs(2);
    const WAIT: Duration = Duration::from_secs(1);

    #[test]
    fn gives_up_on_a_future_that_never_finishes() {
        let got = check(SECTION).timeout(QUICK)
            .hint("with_idle_timeout waited for the future alone: race it against smol::Timer with future::or")
            .run(async {
                within_for(
                    WAIT,
                    with_idle_timeout(Duration::from_millis(200), future::pending::<u32>()),
                    "with_idle_timeout(200 ms, a future that never finishes) never gave up: \
                     race the future against smol::Timer::after(idle) with future::or",
                )
                .await
            });
        assert_eq!(
            got,
            Err(Idle),
            "when the time runs out the answer is Err(Idle){}",
            read(SECTION)
        );
    }

    #[test]
    fn returns_the_output_as_soon_as_the_future_is_done() {
        let got = check(SECTION).timeout(QUICK)
            .hint("with_idle_timeout waited for the timer even though the future was done (future::zip instead of future::or?)")
            .run(async {
                within_for(
                    WAIT,
                    with_idle_timeout(Duration::from_secs(60), async {
                        future::yield_now().await;
                        future::yield_now().await;
                        7
                    }),
                    "the future finished at once but with_idle_timeout(60 s) did not return: \
                     it must not wait for the timer (future::or, not future::zip)",
                )
                .await
            });
        assert_eq!(got, Ok(7), "a future that is in time gives Ok(its output)");
    }

    #[test]
    fn drops_the_future_when_it_gives_up() {
        let probe = DropProbe::new();
        let token = probe.token();
        let got = check(SECTION).timeout(QUICK).run(async move {
            let slow = async move {
                let _token = token;
                future::pending::<()>().await
            };
            within_for(
                WAIT,
                with_idle_timeout(Duration::from_millis(100), slow),
                "with_idle_timeout(100 ms, pending) never gave up",
            )
            .await
        });
        assert_eq!(got, Err(Idle));
        assert!(
            probe.dropped(),
            "the future was still alive after with_idle_timeout gave up on it (a detached \
             task?). Giving up must drop it: that is what cancels the read it was doing.{}",
            read(SECTION)
        );
    }

    #[test]
    fn other_tasks_run_while_it_waits() {
        // A blocking "timer" (std::thread::sleep) would freeze the thread:
        // the other future could not make progress and the blocking detector
        // trips.
        let got = check(SECTION).timeout(QUICK)
            .hint("with_idle_timeout blocked the thread while it waited (std::thread::sleep?): use smol::Timer")
            .run(async {
                let (tx, rx) = async_channel::bounded::<u32>(1);
                let waiter = with_idle_timeout(Duration::from_millis(300), rx.recv());
                let sender = async move {
                    future::yield_now().await;
                    tx.send(42).await.expect("send");
                };
                within_for(WAIT, future::zip(waiter, sender), "the waiter never finished").await.0
            });
        assert_eq!(
            got,
            Ok(Ok(42)),
            "another future sent a value while with_idle_timeout(300 ms) waited for it; it \
             must come back as Ok(value).{}",
            read(SECTION)
        );
    }
}

mod handle_client {
    use super::*;

    const SECTION: &str = "exercise-handle_client";
    const HINT: &str = "handle_client is stuck: a reply that is never sent (the writing half not \
                        running at the same time as the reading half?), a read with no idle \
                        timeout, or a blocking call";

    #[test]
    fn greets_and_answers_requests() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await;
            let mut c = Client::admitted(h.addr, SECTION).await;
            assert_eq!(c.ask("PING").await.as_deref(), Some("PONG"), "PING -> PONG");
            assert_eq!(
                c.ask("ECHO hello world").await.as_deref(),
                Some("hello world"),
                "ECHO <text> -> <text>"
            );
            let unknown = c.ask("DANCE").await.unwrap_or_default();
            assert!(
                unknown.starts_with("ERR"),
                "an unknown command gets an ERR line (from capstone::respond), got \
                 {unknown:?}{}",
                read(SECTION)
            );
            assert_eq!(c.ask("QUIT").await.as_deref(), Some("BYE"), "QUIT -> BYE");
            c.expect_closed("after BYE", SECTION).await;
            let end = h.next_end("after QUIT").await;
            assert_eq!(
                end,
                Ok(End::Quit),
                "a client that sent QUIT ends with End::Quit{}",
                read(SECTION)
            );
            h.all_done(SECTION).await;
        });
    }

    #[test]
    fn answers_every_pipelined_request() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let cfg = small_config(); // queue_len = 4
            let h = Harness::start(&ctx, cfg).await;
            let mut c = Client::admitted(h.addr, SECTION).await;
            let batch = "PING\n".repeat(40);
            c.send_raw(batch.as_bytes()).await;
            for i in 0..40 {
                let got = c.line("a batch of 40 PINGs sent at once").await;
                assert_eq!(
                    got.as_deref(),
                    Some("PONG"),
                    "the client sent 40 PINGs in one write, then read the replies. Reply \
                     {} was {got:?}. A full queue (queue_len = 4) means \"wait for room\", \
                     not \"drop the client\": the writing half must run at the same time as \
                     the reading half, and the reader waits on `send().await` when the \
                     queue is full.{}",
                    i + 1,
                    read(SECTION)
                );
            }
            assert_eq!(c.ask("QUIT").await.as_deref(), Some("BYE"));
            assert_eq!(h.next_end("after QUIT").await, Ok(End::Quit));
        });
    }

    #[test]
    fn writes_every_byte_of_a_long_reply() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            // Tiny kernel buffers: a 48 KiB reply does not fit in one write,
            // so `write` takes only part of it and says how much.
            let (client, server) = testkit::net::pair_small_buffers();
            let client = TcpStream::try_from(client).expect("an async client");
            let server = TcpStream::try_from(server).expect("an async server socket");
            let cfg = Config {
                max_line: 64 << 10,
                ..small_config()
            };
            let sd = Shutdown::new();
            let end = ctx.spawn_learner(async move { handle_client(server, &cfg, &sd).await });
            let mut c = Client {
                reader: BufReader::new(client.clone()),
                writer: client,
            };
            let first = c.line("the greeting").await;
            assert_eq!(first.as_deref(), Some(GREETING));
            let text = "0123456789abcdef".repeat(3 << 10);
            c.send(&format!("ECHO {text}")).await;
            c.send("PING").await;
            let echo = c
                .line("the reply to a 48 KiB ECHO")
                .await
                .unwrap_or_default();
            assert!(
                echo == text,
                "the client sent ECHO with {} bytes of text and got back a line of {} bytes{}. \
                 On a socket whose buffer is small, one `write` takes only part of the bytes \
                 and returns how many it took; the rest must be written too (loop until all \
                 is written: write_all). Ignoring the count sends a cut reply.{}",
                text.len(),
                echo.len(),
                if echo.ends_with("PONG") {
                    " (ending in the PING's PONG)"
                } else {
                    ""
                },
                read(SECTION)
            );
            assert_eq!(c.line("the reply to PING").await.as_deref(), Some("PONG"));
            assert_eq!(c.ask("QUIT").await.as_deref(), Some("BYE"));
            let end = within(end, "handle_client never returned after QUIT").await;
            assert_eq!(end.map_err(|e| format!("{e:#}")), Ok(End::Quit));
        });
    }

    #[test]
    fn survives_a_line_that_is_not_utf8() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await;
            let mut c = Client::admitted(h.addr, SECTION).await;
            c.send_raw(b"\xff\xfe\xfd\n").await;
            let err = c.line("the reply to a line that is not UTF-8").await;
            assert!(
                err.as_deref().is_some_and(|l| l.starts_with("ERR")),
                "a line that is not UTF-8 must get an ERR line and the connection stays \
                 open; got {err:?}. Read bytes and let capstone::respond answer them.{}",
                read(SECTION)
            );
            assert_eq!(
                c.ask("PING").await.as_deref(),
                Some("PONG"),
                "after a malformed line the same client is still served"
            );
            assert_eq!(c.ask("QUIT").await.as_deref(), Some("BYE"));
            drop(c);
            assert_eq!(h.next_end("after QUIT").await, Ok(End::Quit));
            fresh_client_is_served(h.addr, "a line that was not UTF-8", SECTION).await;
            h.all_done(SECTION).await;
        });
    }

    #[test]
    fn closes_on_a_line_that_is_too_long() {
        // A wrong solution reads megabytes per poll: let it, so that the
        // check can report what matters (no limit), not a slow poll.
        let c = check(SECTION)
            .hint(HINT)
            .poll_budget(Duration::from_millis(500));
        on_executor(c, |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await; // max_line = 1024
            let mut c = Client::admitted(h.addr, SECTION).await;
            // 8 MiB without a newline, from another task: the server stops
            // reading it long before the end, so this write never finishes.
            let mut w = c.writer.clone();
            let flood = ctx.spawn(async move {
                let _ = w.write_all(&vec![b'a'; 8 << 20]).await;
            });
            let err = c
                .line(
                    "the answer to an 8 MiB line without a newline, max_line = 1024. Is the \
                     line read without a limit (read_until on the stream, no take)?",
                )
                .await;
            assert!(
                err.as_deref()
                    .is_some_and(|l| l.starts_with("ERR line too long")),
                "a line over max_line must get {:?} and then the connection is closed; got \
                 {err:?}{}",
                capstone::too_long(1024),
                read(SECTION)
            );
            c.expect_closed("after the line-too-long error", SECTION)
                .await;
            assert_eq!(
                h.next_end("after a line that was too long").await,
                Ok(End::TooLong),
                "a line that is too long ends the client with End::TooLong{}",
                read(SECTION)
            );
            drop(flood);
            drop(c);
            fresh_client_is_served(h.addr, "an 8 MiB line", SECTION).await;
            assert_eq!(h.next_end("after QUIT").await, Ok(End::Quit));
            h.all_done(SECTION).await;
        });
    }

    #[test]
    fn disconnects_an_idle_client_but_not_an_active_one() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let idle = Duration::from_millis(300);
            let cfg = Config {
                idle_timeout: idle,
                ..small_config()
            };
            let h = Harness::start(&ctx, cfg).await;
            // The busy client connects first and keeps asking, so by the
            // time the idle one is cut, the busy one has been connected
            // for longer than the idle timeout.
            let mut busy = Client::admitted(h.addr, SECTION).await;
            let stop = Arc::new(AtomicBool::new(false));
            let stop2 = stop.clone();
            let pinger = ctx.spawn(async move {
                let mut asked = 0;
                while !stop2.load(Ordering::SeqCst) {
                    let got = busy.ask("PING").await;
                    assert_eq!(
                        got.as_deref(),
                        Some("PONG"),
                        "a client that sent a request every few ms was disconnected after \
                         {asked} requests (got {got:?}). The idle timeout must start over \
                         with every request; it is not a limit on the whole connection.{}",
                        read(SECTION)
                    );
                    asked += 1;
                }
                busy
            });
            let mut quiet = Client::admitted(h.addr, SECTION).await;
            let last = quiet
                .line_within(
                    idle + Duration::from_secs(1),
                    &format!(
                        "a client sent nothing, idle_timeout = 300 ms, and 1.3 s later it was \
                         still connected without a word: the wait for the next request has no \
                         idle timeout. Wrap that wait in with_idle_timeout; when it gives up, \
                         send {IDLE:?} and close.{}",
                        read(SECTION)
                    ),
                )
                .await;
            assert_eq!(
                last.as_deref(),
                Some(IDLE),
                "a client that says nothing for idle_timeout gets {IDLE:?} and is closed; \
                 got {last:?}. Wrap the wait for the next request in with_idle_timeout.{}",
                read(SECTION)
            );
            quiet.expect_closed("after the idle message", SECTION).await;
            assert_eq!(
                h.next_end("the idle client").await,
                Ok(End::Idle),
                "the silent client ends with End::Idle{}",
                read(SECTION)
            );
            stop.store(true, Ordering::SeqCst);
            let mut busy = pinger.await;
            assert_eq!(
                busy.ask("PING").await.as_deref(),
                Some("PONG"),
                "the busy client must still be connected after the idle one was cut{}",
                read(SECTION)
            );
            assert_eq!(busy.ask("QUIT").await.as_deref(), Some("BYE"));
            assert_eq!(h.next_end("the busy client").await, Ok(End::Quit));
            h.all_done(SECTION).await;
        });
    }

    /// The knob of chapter 14's memory budget: an idle client costs what its
    /// task and its socket need, not a read buffer sized for a busy one.
    #[test]
    fn an_idle_client_holds_no_large_buffer() {
        const CLIENTS: usize = 64;
        // What one idle client may cost on the server's heap: its task, its
        // queue, its socket's registration and a small read buffer. An 8 KiB
        // buffer per client does not fit.
        const BUDGET: usize = 8192;
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await;
            // Warm up: one client served and gone, so one-time allocations
            // (the reactor's tables, the executor's queues) are not counted.
            let mut warm = Client::admitted(h.addr, SECTION).await;
            assert_eq!(
                warm.ask("PING").await.as_deref(),
                Some("PONG"),
                "PING -> PONG"
            );
            drop(warm);
            let _ = h.next_end("a client that hung up").await;
            let live = testkit::heap::live_from_now();
            // The clients live on a thread of their own, so only the
            // server's allocations are counted (the count is per thread).
            let addr = h.addr;
            let (greeted, all_greeted) = async_channel::bounded::<std::io::Result<()>>(1);
            let (hold, release) = async_channel::bounded::<()>(1);
            std::thread::spawn(move || {
                use std::io::BufRead;
                let mut clients = Vec::new();
                let result = (|| {
                    for _ in 0..CLIENTS {
                        let s = std::net::TcpStream::connect(addr)?;
                        s.set_read_timeout(Some(Duration::from_secs(5)))?;
                        let mut r = std::io::BufReader::new(s);
                        let mut line = String::new();
                        r.read_line(&mut line)?;
                        clients.push(r);
                    }
                    Ok(())
                })();
                let _ = greeted.send_blocking(result);
                let _ = release.recv_blocking();
                drop(clients);
            });
            within(all_greeted.recv(), "the idle clients were never greeted")
                .await
                .expect("the checker is alive")
                .expect("every idle client connects and is greeted");
            let probe = h.inflight.clone();
            until(
                move || probe.current() == CLIENTS,
                "handle_client was not running for every idle client",
            )
            .await;
            let per_client = live() / CLIENTS;
            drop(hold);
            assert!(
                per_client <= BUDGET,
                "{CLIENTS} idle clients (greeted, then silent) held {per_client} bytes of the \
                 server's heap each; the budget is {BUDGET} bytes. Something sized for a busy \
                 client is kept for every idle one, most likely a read buffer of several KiB \
                 (a default-sized buffered reader). Read into a small buffer, or one that \
                 grows only while a request arrives.{}",
                read("the-memory-budget-of-a-connection")
            );
        });
    }

    #[test]
    fn disconnects_a_client_that_never_reads() {
        // Heavy I/O on purpose: a wrong (unbounded) solution reads for a
        // long time in one poll. Allow it, to report what matters: memory.
        let c = check(SECTION)
            .hint(HINT)
            .timeout(Duration::from_secs(8))
            .poll_budget(Duration::from_secs(3));
        on_executor(c, |ctx| async move {
            let cfg = Config {
                idle_timeout: Duration::from_secs(1),
                max_line: 64 << 10,
                ..small_config()
            };
            let h = Harness::start(&ctx, cfg).await;
            let slow = Client::admitted(h.addr, SECTION).await;
            let heap_peak = testkit::heap::peak_from_now();
            // Up to 64 MiB of requests, never reading a reply.
            let mut w = slow.writer.clone();
            let flooder = ctx.spawn(async move {
                let line = format!("ECHO {}\n", "x".repeat(32 << 10));
                let mut sent = 0usize;
                while sent < 64 << 20 {
                    if w.write_all(line.as_bytes()).await.is_err() {
                        return sent;
                    }
                    sent += line.len();
                }
                sent
            });
            let end = h
                .next_end("a client that sends requests and never reads")
                .await;
            let sent = within(flooder, "the flooding client never stopped").await;
            let peak = heap_peak();
            assert!(
                peak < 16 << 20,
                "a client sent {} MiB of ECHO requests and never read a reply; serving it \
                 took up to {} MiB of memory. With a bounded queue (queue_len = 4 replies of \
                 32 KiB) the server stops reading that client when the queue is full, and \
                 its memory stays small. Use async_channel::bounded(cfg.queue_len) and wait \
                 on send().await, not an unbounded channel or a Vec.{}",
                sent >> 20,
                peak >> 20,
                read(SECTION)
            );
            assert_eq!(
                end,
                Ok(End::SlowReader),
                "a client sent requests and never read the replies. It must end as \
                 End::SlowReader: the reader waits for room in the bounded queue, and \
                 after idle_timeout without room the client is dropped.{}",
                read(SECTION)
            );
            drop(slow.reader);
            fresh_client_is_served(h.addr, "a client that never read", SECTION).await;
            assert_eq!(h.next_end("after QUIT").await, Ok(End::Quit));
            h.all_done(SECTION).await;
        });
    }

    #[test]
    fn survives_an_abrupt_disconnect_and_reports_it_with_context() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await;
            let mut c = Client::admitted(h.addr, SECTION).await;
            let me = c.local();
            // Half a request, then wait until the PONG is here, unread ...
            c.send_raw(b"PING\nECHO half a li").await;
            let want = b"PONG\n".len();
            let mut peek = vec![0u8; want];
            within(
                async {
                    while c.writer.peek(&mut peek).await.unwrap_or(0) < want {
                        Timer::after(Duration::from_millis(1)).await;
                    }
                },
                "no PONG for a PING",
            )
            .await;
            // ... and close with unread data: the kernel sends a reset.
            drop(c);
            let end = h.next_end("a client that reset its connection").await;
            match &end {
                Err(msg) => assert!(
                    msg.contains(&me.to_string()),
                    "the error of a reset client must say which client it was (anyhow's \
                     .context(format!(\"serving {{peer}}\"))), got: {msg}{}",
                    read(SECTION)
                ),
                Ok(other) => panic!(
                    "a client reset its connection in the middle of a request, but \
                     handle_client returned Ok({other:?}): an I/O error was swallowed. Pass it \
                     on with `?` and add context.{}",
                    read(SECTION)
                ),
            }
            fresh_client_is_served(h.addr, "a connection reset", SECTION).await;
            assert_eq!(h.next_end("after QUIT").await, Ok(End::Quit));
            h.all_done(SECTION).await;
        });
    }

    #[test]
    fn on_shutdown_finishes_the_request_in_progress_then_says_bye() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let h = Harness::start(&ctx, small_config()).await;
            let mut idle = Client::admitted(h.addr, SECTION).await;
            let mut mid = Client::admitted(h.addr, SECTION).await;
            mid.send_raw(b"PING\nECHO hel").await;
            assert_eq!(mid.line("PONG").await.as_deref(), Some("PONG"));
            h.shutdown.trigger();
            let bye = idle
                .line_within(
                    SOON,
                    &format!(
                        "the server shut down, and a client that was between requests got \
                         nothing: the wait for the next request does not look at the shutdown \
                         signal. Race it against shutdown.wait(); when shutdown wins, send \
                         {SHUTTING_DOWN:?} and close.{}",
                        read(SECTION)
                    ),
                )
                .await;
            assert_eq!(
                bye.as_deref(),
                Some(SHUTTING_DOWN),
                "at shutdown, a client that is between requests gets {SHUTTING_DOWN:?} and \
                 is closed; got {bye:?}. Race the wait for the next request against \
                 shutdown.wait().{}",
                read(SECTION)
            );
            idle.expect_closed("after the shutdown message", SECTION)
                .await;
            assert_eq!(h.next_end("the idle client").await, Ok(End::Shutdown));
            mid.send_raw(b"lo\n").await;
            let hello = mid
                .line("the rest of a request that began before shutdown")
                .await;
            assert_eq!(
                hello.as_deref(),
                Some("hello"),
                "a request that had begun before shutdown must be finished (that is the \
                 drain): only the wait *between* requests races the shutdown signal; got \
                 {hello:?}{}",
                read(SECTION)
            );
            assert_eq!(
                mid.line("after the drained request").await.as_deref(),
                Some(SHUTTING_DOWN)
            );
            mid.expect_closed("after the shutdown message", SECTION)
                .await;
            assert_eq!(h.next_end("the drained client").await, Ok(End::Shutdown));
            h.all_done(SECTION).await;
        });
    }
}

mod serve {
    use super::*;

    const SECTION: &str = "exercise-serve";
    /// A client connects while `others` are still connected: its greeting
    /// must come at once.
    async fn next_seat(addr: SocketAddr, others: usize) -> Client {
        let why = format!(
            "a new client got no greeting while {others} other client(s) stayed connected: \
             serve serves one client at a time (handle_client awaited inline in the accept \
             loop?). Every client needs a task of its own on the executor (ex.spawn), so the \
             accept loop can go on.{}",
            read(SECTION)
        );
        Client::greeted(addr, SECTION, &why).await
    }

    const HINT: &str = "serve is stuck: an accept loop that never looks at the shutdown signal, \
                        a client handled inline instead of in a task (ex.spawn), or a drain \
                        that waits for permits that are never given back";

    /// Starts `serve` as a task; returns its address, stats, shutdown and
    /// task.
    async fn start(
        ctx: &Ctx,
        cfg: Config,
    ) -> (
        SocketAddr,
        Arc<Stats>,
        Shutdown,
        async_executor::Task<anyhow::Result<()>>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let stats = Stats::new();
        let shutdown = Shutdown::new();
        let (ex, st, sd) = (ctx.ex.clone(), stats.clone(), shutdown.clone());
        let task = ctx.spawn_learner(async move { serve(&ex, listener, cfg, st, sd).await });
        (addr, stats, shutdown, task)
    }

    #[test]
    fn the_connection_limit_holds_and_extra_clients_are_refused() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let cfg = Config {
                max_connections: 3,
                ..small_config()
            };
            let (addr, stats, _sd, _task) = start(&ctx, cfg).await;
            // Three clients, all greeted, all still connected: the gate.
            let mut seated = Vec::new();
            for i in 0..3 {
                seated.push(next_seat(addr, i).await);
            }
            for i in 0..2 {
                let mut extra = Client::connect(addr).await;
                let got = extra
                    .line("a client over the limit: it must be refused at once, not kept waiting")
                    .await;
                assert_eq!(
                    got.as_deref(),
                    Some(BUSY),
                    "with max_connections = 3 and 3 clients connected, extra client {} must \
                     get {BUSY:?} and be closed; got {got:?}. A permit dropped too early \
                     (`let _ = sem.try_acquire_arc()`, or a guard that is not moved into the \
                     client's task) lets everyone in.{}",
                    i + 1,
                    read(SECTION)
                );
                extra.expect_closed("after the busy message", SECTION).await;
            }
            let s = stats.snapshot();
            assert_eq!(
                (s.active, s.max_active, s.refused),
                (3, 3, 2),
                "with 3 seated clients and 2 refused: expected active = 3, max_active = 3 \
                 (never more than the limit), refused = 2, got {s:?}. Count each client with \
                 stats.enter() inside its task and stats.refused() for each refusal.{}",
                read(SECTION)
            );
            // One leaves; its seat must come back.
            let mut leaving = seated.pop().expect("a client");
            assert_eq!(leaving.ask("QUIT").await.as_deref(), Some("BYE"));
            drop(leaving);
            let st = stats.clone();
            until(
                move || st.snapshot().active == 2,
                "a client quit but the server still counts 3 active clients",
            )
            .await;
            let mut next = Client::connect(addr).await;
            let got = next.line("a client after a seat was freed").await;
            assert_eq!(
                got.as_deref(),
                Some(GREETING),
                "a client quit, so its seat is free: the next client must be admitted, got \
                 {got:?}. The permit must be dropped when the client's task ends (move it \
                 into the task), not kept forever.{}",
                read(SECTION)
            );
            assert!(
                stats.snapshot().max_active <= 3,
                "never more than the limit at once"
            );
        });
    }

    #[test]
    fn survives_abuse_and_counters_return_to_zero() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let (addr, stats, _sd, _task) = start(&ctx, small_config()).await;
            // Not UTF-8.
            let mut c = Client::admitted(addr, SECTION).await;
            c.send_raw(b"\xc3\x28\n").await;
            let _ = c.line("the reply to bad UTF-8").await;
            drop(c);
            // Too long.
            let mut c = Client::admitted(addr, SECTION).await;
            c.send_raw(&vec![b'z'; 4096]).await;
            let _ = c.line("the reply to a line that is too long").await;
            drop(c);
            // Reset in the middle of a request.
            let mut c = Client::admitted(addr, SECTION).await;
            c.send_raw(b"PING\nECHO ha").await;
            let _ = c.writer.peek(&mut [0u8; 5]).await;
            drop(c);
            // Gone without a word.
            drop(Client::admitted(addr, SECTION).await);
            fresh_client_is_served(addr, "four abusive clients", SECTION).await;
            let st = stats.clone();
            until(
                move || st.snapshot().active == 0,
                &format!(
                    "every client has gone, but the server still counts active clients: \
                     {:?}. Every client task must end (and drop its permit and its \
                     stats.enter() guard) whatever the client did.{}",
                    stats.snapshot(),
                    read(SECTION)
                ),
            )
            .await;
            let s = stats.snapshot();
            assert_eq!(s.accepted, 5, "5 clients connected: {s:?}");
            assert_eq!(
                s.too_long,
                1,
                "one client sent a line that was too long; record every end with \
                 stats.ended(&result): {s:?}{}",
                read(SECTION)
            );
            assert_eq!(
                s.eof + s.errors + s.too_long + s.quit,
                5,
                "every client's end must be recorded with stats.ended(): {s:?}{}",
                read(SECTION)
            );
        });
    }

    #[test]
    fn shutdown_stops_accepting_and_drains() {
        on_executor(check(SECTION).hint(HINT), |ctx| async move {
            let (addr, stats, shutdown, task) = start(&ctx, small_config()).await;
            let mut mid = Client::admitted(addr, SECTION).await;
            mid.send_raw(b"PING\nECHO hel").await;
            assert_eq!(mid.line("PONG").await.as_deref(), Some("PONG"));
            let mut idle = next_seat(addr, 1).await;
            shutdown.trigger();
            assert_eq!(
                idle.line("a client between requests at shutdown")
                    .await
                    .as_deref(),
                Some(SHUTTING_DOWN)
            );
            // Stop accepting: new connections are refused by the kernel.
            within_for(
                SOON,
                async {
                    while TcpStream::connect(addr).await.is_ok() {
                        Timer::after(Duration::from_millis(2)).await;
                    }
                },
                "after shutdown, new connections were still accepted: the accept loop does \
                 not look at the shutdown signal. Race accept() against shutdown.wait() and \
                 drop the listener once shutdown wins",
            )
            .await;
            for _ in 0..50 {
                future::yield_now().await;
            }
            assert!(
                !task.is_finished(),
                "serve returned while a client was still in the middle of a request. A \
                 graceful shutdown drains: after it stops accepting, serve waits until every \
                 client task has finished (for example by taking back all the permits).{}",
                read(SECTION)
            );
            mid.send_raw(b"lo\n").await;
            assert_eq!(
                mid.line("the drained request").await.as_deref(),
                Some("hello")
            );
            assert_eq!(
                mid.line("the shutdown message").await.as_deref(),
                Some(SHUTTING_DOWN)
            );
            mid.expect_closed("after the shutdown message", SECTION)
                .await;
            within(task, "serve did not return after every client was gone")
                .await
                .expect("serve returns Ok(()) after a graceful shutdown");
            let s = stats.snapshot();
            assert!(
                s.active == 0 && s.shutdown >= 2,
                "after the drain no client is active and both clients ended with \
                 End::Shutdown (recorded with stats.ended()): {s:?}{}",
                read(SECTION)
            );
        });
    }
}
