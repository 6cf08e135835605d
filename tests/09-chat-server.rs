//! Checks for lesson 09 — a chat server. Compiled for both
//! exercises/09-chat-server and solutions/09-chat-server.
//!
//! The broker, the writer and the connection handler are checked over
//! channels and in-memory streams (no sockets, no clocks): "a slow client
//! does not stall the others" is a queue nobody reads plus a count. The
//! server is then checked end to end with smol::net on 127.0.0.1:0.
//! Timers only appear on failure paths, to turn a hang into a message.

use std::io;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use async_channel::{Receiver, Sender};
use chat_server::{
    ClientId, Delivery, Event, OUTBOX_CAPACITY, broker, deliver, handle_client, serve, write_lines,
};
use futures_lite::{AsyncRead, AsyncWrite, FutureExt, future};
use smol::Timer;
use testkit::Check;

/// How long a failure path waits before it reports (a correct solution
/// never waits this long).
const PATIENCE: Duration = Duration::from_millis(1500);

/// The same for a line over a loopback socket: it has more to go through
/// (the server's tasks share one executor thread).
const NET_PATIENCE: Duration = Duration::from_secs(3);

/// The most one poll may take in checks that move data over sockets: a
/// poll there copies data in a loop, and a busy machine can pause it.
/// Blocking calls (a sleep, a blocking read) still show up.
const IO_BUDGET: Duration = Duration::from_millis(200);

fn check(section: &str) -> Check {
    Check::new()
        .section(&format!("09-chat-server.md#{section}"))
        .timeout(Duration::from_secs(4))
}

fn read(section: &str) -> String {
    format!("\n  (read: book/src/09-chat-server.md#{section})")
}

/// Runs `fut`, or panics with `why` after PATIENCE: turns a hang into a
/// message about what the code was waiting for.
async fn or_stuck<F: std::future::Future>(fut: F, why: impl Fn() -> String) -> F::Output {
    or_stuck_after(PATIENCE, fut, why).await
}

async fn or_stuck_after<F: std::future::Future>(
    patience: Duration,
    fut: F,
    why: impl Fn() -> String,
) -> F::Output {
    fut.or(async {
        Timer::after(patience).await;
        panic!("{}", why())
    })
    .await
}

/// A caught panic that came from a `todo!()` goes on as it was, so the
/// watchdog can say "not solved yet" instead of the check's own message.
fn rethrow_todo(payload: Box<dyn std::any::Any + Send>) {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    if text.contains(testkit::TODO_MARKER) {
        std::panic::resume_unwind(payload);
    }
}

/// Everything waiting in a queue right now.
fn drain(rx: &Receiver<String>) -> Vec<String> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

fn lines(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}line {i}")).collect()
}

fn join(id: ClientId, name: &str, outbox: Sender<String>) -> Event {
    Event::Join {
        id,
        name: name.to_string(),
        outbox,
    }
}

fn msg(id: ClientId, line: &str) -> Event {
    Event::Message {
        id,
        line: line.to_string(),
    }
}

/// An in-memory connection's write half: remembers every byte.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A write half whose peer is gone: every write fails with BrokenPipe.
struct BrokenSink;

impl AsyncWrite for BrokenSink {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// An in-memory connection's read half: gives `data`, then ends with EOF or
/// (for an abrupt disconnect) with `ConnectionReset`.
struct Script {
    data: Vec<u8>,
    pos: usize,
    reset_at_end: bool,
}

impl Script {
    fn eof(data: &str) -> Self {
        Script {
            data: data.as_bytes().to_vec(),
            pos: 0,
            reset_at_end: false,
        }
    }
    fn reset(data: &str) -> Self {
        Script {
            reset_at_end: true,
            ..Script::eof(data)
        }
    }
}

impl AsyncRead for Script {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        if self.pos == self.data.len() {
            return Poll::Ready(if self.reset_at_end {
                Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "connection reset by peer",
                ))
            } else {
                Ok(0)
            });
        }
        // A few bytes at a time, like a real socket.
        let n = buf.len().min(self.data.len() - self.pos).min(5);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Poll::Ready(Ok(n))
    }
}

/// A 288 KiB line (and a short one after it) through a loopback socket
/// whose buffers are tiny (`testkit::net::pair_small_buffers`): `write` takes
/// a few KiB at a time there. `run` gets the queue (already holding both
/// lines and closed) and the socket's writing end; meanwhile the peer reads
/// everything until end of file. Returns (bytes read, bytes expected, what
/// `run` returned).
///
/// The sockets and the line are made before the returned future runs (call
/// it outside `Check::run`), so that the blocking detector times only the
/// code under test.
fn through_small_buffers<F, Fut, T>(
    run: F,
) -> impl std::future::Future<Output = (Vec<u8>, Vec<u8>, T)> + Send + 'static
where
    F: FnOnce(Receiver<String>, smol::Async<std::net::TcpStream>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
    T: Send,
{
    use futures_lite::AsyncReadExt;
    let (peer, ours) = testkit::net::pair_small_buffers();
    let long = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(8 * 1024);
    let (tx, rx) = async_channel::bounded(8);
    tx.try_send(long.clone()).unwrap();
    tx.try_send("and a short one".to_string()).unwrap();
    drop(tx);
    let want = format!("{long}\nand a short one\n").into_bytes();
    async move {
        let ours = smol::Async::new(ours).expect("non-blocking socket");
        let mut peer = smol::Async::new(peer).expect("non-blocking socket");
        let reader = async move {
            let mut got = Vec::new();
            let _ = peer.read_to_end(&mut got).await;
            got
        };
        let (res, got) = future::zip(run(rx, ours), reader).await;
        (got, want, res)
    }
}

/// Fails with what a short write looks like, if `got` is not `want`.
fn assert_whole(got: &[u8], want: &[u8], who: &str, section: &str) {
    if got == want {
        return;
    }
    let same = got.iter().zip(want).take_while(|(a, b)| a == b).count();
    assert!(
        got.len() >= want.len(),
        "{who} sent {} of the {} bytes of a 288 KiB line and a short one through a \
         socket with small buffers; the bytes stop after {same}. A `write(..)` with the \
         count ignored loses the rest: `write` returns how many bytes the socket took, \
         which can be fewer than you gave it. Write until every byte is out (write_all \
         loops for you){}",
        got.len(),
        want.len(),
        read(section)
    );
    panic!(
        "{who} sent {} bytes where {} were expected, and they differ from byte {same} on \
         (a line written twice, or out of order?). Each line once, in queue order, then \
         `\\n`{}",
        got.len(),
        want.len(),
        read(section)
    );
}

mod deliver {
    use super::*;

    const S: &str = "exercise-deliver";

    #[test]
    fn queues_the_line_when_there_is_room() {
        let (tx, rx) = async_channel::bounded(2);
        let got = check(S).run_sync(move || deliver(&tx, "ann: hi"));
        assert_eq!(
            got,
            Delivery::Queued,
            "deliver() into an empty queue must return Delivery::Queued{}",
            read(S)
        );
        assert_eq!(
            drain(&rx),
            ["ann: hi"],
            "the line must be in the client's queue after deliver(){}",
            read(S)
        );
    }

    #[test]
    fn drops_the_new_line_when_the_queue_is_full_without_waiting() {
        let (tx, rx) = async_channel::bounded(1);
        tx.try_send("first".to_string()).unwrap();
        let got = check(S)
            .timeout(PATIENCE)
            .hint(
                "deliver() waited for room in a full queue (send_blocking, or block_on of \
                 send). Nobody reads this queue, so it waited forever — in the server, the \
                 broker and every other client would wait with it. Use try_send: it never \
                 waits.",
            )
            .run_sync(move || deliver(&tx, "second"));
        assert_eq!(
            got,
            Delivery::Dropped,
            "a full queue (try_send gave TrySendError::Full) must give Delivery::Dropped{}",
            read(S)
        );
        assert_eq!(
            drain(&rx),
            ["first"],
            "the policy is: keep what is queued and drop the NEW line for the slow client. \
             Do not replace older lines, and do not grow the queue{}",
            read(S)
        );
    }

    #[test]
    fn reports_a_closed_queue_instead_of_panicking() {
        let (tx, rx) = async_channel::bounded::<String>(1);
        drop(rx);
        let got = check(S).run_sync(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| deliver(&tx, "anyone there?")))
                .unwrap_or_else(|payload| {
                    rethrow_todo(payload);
                    panic!(
                        "deliver() panicked on a closed queue (an unwrap() on try_send?). A \
                         client's writer stops when its connection breaks, a moment before \
                         its Leave reaches the broker: that is normal, not a bug. Return \
                         Delivery::Gone.{}",
                        read(S)
                    )
                })
        });
        assert_eq!(
            got,
            Delivery::Gone,
            "a closed queue (TrySendError::Closed) must give Delivery::Gone{}",
            read(S)
        );
    }
}

mod broker {
    use super::*;

    const S: &str = "exercise-broker";

    #[test]
    fn fans_out_each_message_to_every_other_client_in_order() {
        let (events, inbox) = async_channel::unbounded();
        let (a_out, a) = async_channel::bounded(100);
        let (b_out, b) = async_channel::bounded(100);
        let (c_out, c) = async_channel::bounded(100);
        events.try_send(join(1, "ann", a_out)).unwrap();
        events.try_send(join(2, "bob", b_out)).unwrap();
        events.try_send(join(3, "cy", c_out)).unwrap();
        for line in lines("", 10) {
            events.try_send(msg(1, &line)).unwrap();
        }
        drop(events);

        let left = check(S)
            .hint(
                "broker() did not return although every event was already in its inbox and \
                 every sender was dropped. Loop with `while let Ok(event) = \
                 events.recv().await`: recv() fails once the inbox is closed and empty.",
            )
            .run(broker(inbox));

        let from_ann = lines("ann: ", 10);
        let (a, b, c) = (drain(&a), drain(&b), drain(&c));
        assert!(
            !a.iter().any(|l| l.starts_with("ann: ")),
            "ann received her own lines back: {a:?}. Broadcast to every client EXCEPT the \
             one who sent the message{}",
            read(S)
        );
        assert!(
            !c.contains(&"* cy joined".to_string()),
            "cy was told that cy joined: {c:?}. Announce a join to the others only{}",
            read(S)
        );
        let mut want_b = vec!["* cy joined".to_string()];
        want_b.extend(from_ann.iter().cloned());
        for (who, got, want) in [("bob", &b, &want_b), ("cy", &c, &from_ann)] {
            let mut sorted = got.clone();
            sorted.sort();
            let mut want_sorted = want.clone();
            want_sorted.sort();
            assert!(
                sorted != want_sorted || got == want,
                "{who} got every line but out of order: {got:?}. One broker task handles \
                 the events one by one, in the order they arrive, and each client's queue \
                 is FIFO: do not spawn a task per message{}",
                read(S)
            );
            assert_eq!(
                got,
                want,
                "{who}'s queue is not what the broker should have sent. Expected the join \
                 announcements of later clients (`* NAME joined`) and then every message \
                 from ann as `ann: TEXT`, in order{}",
                read(S)
            );
        }
        assert_eq!(
            a,
            ["* bob joined", "* cy joined"],
            "ann should hear about bob and cy joining after her, and nothing else{}",
            read(S)
        );
        assert_eq!(
            left,
            3,
            "nobody left, so broker() must return 3 (the clients still in its map){}",
            read(S)
        );
    }

    #[test]
    fn a_slow_client_does_not_stall_the_others() {
        let (events, inbox) = async_channel::unbounded();
        let (a_out, _a) = async_channel::bounded(1000);
        events.try_send(join(1, "ann", a_out)).unwrap();
        // Six fast clients with plenty of room (bob is the first of them).
        let fast: Vec<(String, Receiver<String>)> = (2..=7)
            .map(|id| {
                let name = if id == 2 {
                    "bob".to_string()
                } else {
                    format!("fast{id}")
                };
                let (out, queue) = async_channel::bounded(1000);
                events.try_send(join(id, &name, out)).unwrap();
                (name, queue)
            })
            .collect();
        // Three clients whose writers have stopped (receiver dropped) and
        // whose Leave has not arrived yet.
        for id in 8..=10 {
            let (out, queue) = async_channel::bounded::<String>(4);
            drop(queue);
            events
                .try_send(join(id, &format!("gone{id}"), out))
                .unwrap();
        }
        // slow: a small queue that nobody ever reads.
        let (slow_out, slow) = async_channel::bounded(4);
        events.try_send(join(11, "slow", slow_out)).unwrap();
        for line in lines("", 100) {
            events.try_send(msg(1, &line)).unwrap();
        }
        drop(events);

        let bob = fast[0].1.clone();
        let left = check(S)
            .hint(
                "broker() blocked its thread waiting for room in the full queue of `slow`, a \
                 client that never reads (send_blocking, or block_on of send?). One slow \
                 client must not stall the others: use deliver() (try_send).",
            )
            .run(or_stuck(broker(inbox), move || {
                format!(
                    "broker() had all its events in its inbox and was still not done after {:.1} \
                     s; bob has received {} of his 109 lines. It is stuck waiting for room in \
                     the queue of `slow`, a client that never reads (a bounded queue of 4). \
                     That is backpressure from the slowest client onto everyone: with \
                     `send(..).await` one slow client stalls the whole chat. Use deliver() \
                     (try_send) and drop the line for a client whose queue is full.{}",
                    PATIENCE.as_secs_f32(),
                    bob.len(),
                    read(S)
                )
            }));

        let from_ann = lines("ann: ", 100);
        for (name, queue) in &fast {
            let got: Vec<String> = drain(queue)
                .into_iter()
                .filter(|l| l.starts_with("ann: "))
                .collect();
            assert!(
                got.len() == 100,
                "{name} got {} of ann's 100 lines while `slow` never read and three other \
                 clients' queues were closed. A full or closed queue concerns that one client \
                 only: do not stop the broadcast (no `?`, `break` or `return` on a failed \
                 send), skip that client and carry on{}",
                got.len(),
                read(S)
            );
            assert_eq!(
                got,
                from_ann,
                "{name} must get every line, in order{}",
                read(S)
            );
        }
        assert_eq!(
            drain(&slow),
            lines("ann: ", 4),
            "the slow client's queue (capacity 4) must hold the first 4 lines: the policy \
             drops NEW lines for a client whose queue is full{}",
            read(S)
        );
        assert_eq!(
            left,
            11,
            "nobody sent Leave, so broker() must return 11: a full or closed queue is not a \
             Leave{}",
            read(S)
        );
    }

    /// Dead and full clients on every side of the live ones: they have the
    /// lowest and the highest ids and join first and last, so whatever
    /// order the broker keeps its clients in (by id, by arrival, reversed),
    /// one of them comes before bob and cy. A HashMap's order is random per
    /// map, so the scene is played with a fresh broker many times: a
    /// fan-out that stops early cannot get lucky every round.
    #[test]
    fn a_dead_or_full_client_does_not_stop_the_broadcast() {
        const ROUNDS: usize = 24;
        const LINES: usize = 5;
        check(S).run(async move {
            for round in 1..=ROUNDS {
                let (events, inbox) = async_channel::unbounded();
                let mut live = Vec::new();
                let mut keep = Vec::new();
                for (id, kind) in [
                    (1, "dead"),
                    (2, "full"),
                    (3, "ann"),
                    (4, "bob"),
                    (5, "cy"),
                    (6, "full"),
                    (7, "dead"),
                ] {
                    let (out, queue) = async_channel::bounded::<String>(1);
                    let name = format!("{kind}{id}");
                    match kind {
                        "dead" => drop(queue),
                        "full" => {
                            out.try_send("an old line nobody read".to_string()).unwrap();
                            keep.push(queue);
                        }
                        _ => {
                            let (out, queue) = async_channel::bounded::<String>(100);
                            events.try_send(join(id, kind, out)).unwrap();
                            if kind != "ann" {
                                live.push((kind, queue));
                            }
                            continue;
                        }
                    }
                    events.try_send(join(id, &name, out)).unwrap();
                }
                for line in lines("", LINES) {
                    events.try_send(msg(3, &line)).unwrap();
                }
                drop(events);
                or_stuck(broker(inbox), || {
                    format!(
                        "broker() did not finish although every event was in its inbox and \
                         every sender was dropped. Two clients' queues are full and two are \
                         closed: a broker that waits for room in a full queue waits forever. \
                         Send with deliver() only.{}",
                        read(S)
                    )
                })
                .await;
                for (who, queue) in &live {
                    let got: Vec<String> = drain(queue)
                        .into_iter()
                        .filter(|l| l.starts_with("ann: "))
                        .collect();
                    assert!(
                        got.len() == LINES,
                        "{who} got {} of ann's {LINES} lines (round {round} of {ROUNDS}, a \
                         fresh broker each round). Besides {who}, the chat had two clients \
                         whose queues were closed (their writers stopped) and two whose \
                         queues were full, placed first and last. The fan-out stopped at a \
                         dead or full client (a `?`, `break` or `return` when deliver() does \
                         not say Queued), so everyone who came after it in the loop missed \
                         the line. A failed deliver concerns that one client: skip it and \
                         carry on with the others{}",
                        got.len(),
                        read(S)
                    );
                    assert_eq!(
                        got,
                        lines("ann: ", LINES),
                        "{who} must get every line of ann, in order{}",
                        read(S)
                    );
                }
            }
        });
    }

    #[test]
    fn a_leave_is_announced_and_the_client_is_removed() {
        let (events, inbox) = async_channel::unbounded();
        let (a_out, a) = async_channel::bounded(100);
        let (b_out, b) = async_channel::bounded(100);
        let (c_out, c) = async_channel::bounded(100);
        events.try_send(join(1, "ann", a_out)).unwrap();
        events.try_send(join(2, "bob", b_out)).unwrap();
        events.try_send(join(3, "cy", c_out)).unwrap();
        events.try_send(Event::Leave { id: 2 }).unwrap();
        events.try_send(msg(1, "after bob left")).unwrap();

        let (c2, b2) = (c.clone(), b.clone());
        let (left, bob_closed) = check(S).run(async move {
            let watch = async move {
                // cy hears "* bob left" and then ann's line: by then the
                // broker has handled the Leave. It is still running.
                let mut heard = Vec::new();
                while heard.last().map(String::as_str) != Some("ann: after bob left") {
                    let line = or_stuck(c2.recv(), || {
                        format!(
                            "cy was waiting for `* bob left` and `ann: after bob left` and got \
                             only {heard:?}.{}",
                            read(S)
                        )
                    })
                    .await;
                    heard.push(line.expect("the broker dropped cy's queue"));
                }
                let bob_closed = b2.is_closed();
                drop(events); // now let the broker finish
                (heard, bob_closed)
            };
            let (left, (heard, closed)) = future::zip(broker(inbox), watch).await;
            assert_eq!(
                heard,
                ["* bob left", "ann: after bob left"],
                "after bob's Leave, cy must hear `* bob left`, then ann's next line{}",
                read(S)
            );
            (left, closed)
        });

        let b = drain(&b);
        assert_eq!(
            b,
            ["* cy joined"],
            "the broker sent to bob after bob left: {b:?}. On Leave, remove the client from \
             the map so nothing is ever sent to it again{}",
            read(S)
        );
        assert!(
            bob_closed,
            "bob's queue was still open after the broker handled his Leave. Remove bob from \
             the map (which drops his Sender): his writer then sees the queue close and \
             the connection can end. Marking him as gone but keeping the Sender leaks one \
             queue and one task per departed client{}",
            read(S)
        );
        let a = drain(&a);
        assert!(
            !a.iter().any(|l| l.starts_with("ann: ")),
            "ann received her own line back: {a:?}. Broadcast to every client EXCEPT the \
             one who sent the message{}",
            read(S)
        );
        assert_eq!(
            a,
            ["* bob joined", "* cy joined", "* bob left"],
            "ann must hear bob join, cy join and bob leave{}",
            read(S)
        );
        assert_eq!(
            left,
            2,
            "bob left, so broker() must return 2 (ann and cy are still in its map){}",
            read(S)
        );
    }

    #[test]
    fn ignores_events_of_clients_it_does_not_know() {
        let (events, inbox) = async_channel::unbounded();
        let (a_out, a) = async_channel::bounded(100);
        events.try_send(join(1, "ann", a_out)).unwrap();
        events.try_send(Event::Leave { id: 9 }).unwrap();
        events.try_send(msg(9, "ghost")).unwrap();
        events.try_send(msg(1, "hello?")).unwrap();
        events.try_send(Event::Leave { id: 1 }).unwrap();
        events.try_send(Event::Leave { id: 1 }).unwrap();
        drop(events);
        let left = check(S).run(async move {
            AssertUnwindSafe(broker(inbox))
                .catch_unwind()
                .await
                .unwrap_or_else(|payload| {
                    rethrow_todo(payload);
                    panic!(
                        "broker() panicked on a Message or Leave from a client that is not in \
                         its map (an unwrap() or map[&id]?). That happens: a Message can \
                         arrive after its sender left, and a Leave can come twice. Ignore \
                         events for unknown ids.{}",
                        read(S)
                    )
                })
        });
        let a = drain(&a);
        assert!(
            !a.iter().any(|l| l.starts_with("ann: ")),
            "ann received her own line back: {a:?}. Broadcast to every client EXCEPT the \
             one who sent the message{}",
            read(S)
        );
        assert_eq!(
            a,
            Vec::<String>::new(),
            "nobody else was in the chat: ann must receive nothing (not her own line, not a \
             line from the unknown client 9){}",
            read(S)
        );
        assert_eq!(left, 0, "everybody left: broker() must return 0{}", read(S));
    }
}

mod write_lines {
    use super::*;

    const S: &str = "exercise-write_lines";

    #[test]
    fn writes_every_line_and_ends_when_the_queue_closes() {
        let sink = Sink::default();
        let (tx, rx) = async_channel::bounded(8);
        for l in ["one", "two", "three"] {
            tx.try_send(l.to_string()).unwrap();
        }
        drop(tx);
        let out = sink.clone();
        let res = check(S)
            .hint(
                "write_lines() did not return after the queue was closed and emptied. Loop \
                 with `while let Ok(line) = outbox.recv().await`: recv() fails once every \
                 Sender is gone and the queue is empty.",
            )
            .run(write_lines(rx, out));
        assert!(
            res.is_ok(),
            "a closed queue is the normal end of a writer: return Ok(()), got {res:?}{}",
            read(S)
        );
        assert_eq!(
            sink.text(),
            "one\ntwo\nthree\n",
            "write each line followed by a newline `\\n`, in queue order{}",
            read(S)
        );
    }

    #[test]
    fn writes_each_line_as_soon_as_it_arrives() {
        let sink = Sink::default();
        let (tx, rx) = async_channel::bounded(8);
        let out = sink.clone();
        let res = check(S).run(async move {
            let driver = async move {
                for (i, line) in ["hello", "again"].into_iter().enumerate() {
                    tx.send(line.to_string()).await.unwrap();
                    let want = ["hello\n", "hello\nagain\n"][i];
                    let seen = sink.clone();
                    or_stuck(
                        async {
                            while seen.text() != want {
                                future::yield_now().await;
                            }
                        },
                        || {
                            format!(
                                "write_lines() got `{line}` from the queue, which is still \
                                 open, and has written only {:?}. Write (and flush) each \
                                 line as soon as recv() gives it to you: do not wait to \
                                 collect the whole queue, a chat client waits for each \
                                 line.{}",
                                seen.text(),
                                read(S)
                            )
                        },
                    )
                    .await;
                }
            };
            future::zip(write_lines(rx, out), driver).await.0
        });
        assert!(res.is_ok(), "expected Ok(()), got {res:?}{}", read(S));
    }

    /// A socket with tiny kernel buffers takes only a few KiB per write, so
    /// a 288 KiB line needs many writes: the way to prove that every byte
    /// the socket did not take yet is written again.
    #[test]
    fn a_long_line_arrives_whole_through_small_socket_buffers() {
        let exchange = through_small_buffers(write_lines);
        check(S).poll_budget(IO_BUDGET).run(async move {
            let (got, want, res) = exchange.await;
            assert!(
                res.is_ok(),
                "write_lines() failed on a healthy connection: {res:?}{}",
                read(S)
            );
            assert_whole(&got, &want, "write_lines()", S);
        });
    }

    #[test]
    fn stops_at_the_first_write_error() {
        let (tx, rx) = async_channel::bounded(8);
        tx.try_send("is anyone there?".to_string()).unwrap();
        let res = check(S).run(async move {
            let res = or_stuck(write_lines(rx, BrokenSink), || {
                format!(
                    "write_lines() did not return, although the line in its queue cannot be \
                     written: every write fails with BrokenPipe (the client is gone). Either \
                     the error was swallowed and it now waits for the next line (return it \
                     with `?` — a swallowed error keeps a dead writer alive), or it never \
                     tried to write (write each line as soon as recv() gives it).{}",
                    read(S)
                )
            })
            .await;
            drop(tx);
            res
        });
        match res {
            Err(e) => assert_eq!(
                e.kind(),
                io::ErrorKind::BrokenPipe,
                "return the original write error, not a new one: got {e:?}{}",
                read(S)
            ),
            Ok(()) => panic!(
                "write_lines() returned Ok(()) although writing failed. Return the error \
                 with `?`.{}",
                read(S)
            ),
        }
    }
}

mod handle_client {
    use super::*;

    const S: &str = "exercise-handle_client";

    /// A stand-in for the broker: records each event as text, greets every
    /// client that joins, and drops its queue on Leave.
    async fn fake_broker(events: Receiver<Event>, log: Arc<Mutex<Vec<String>>>) -> Vec<String> {
        let seen = |line: String| log.lock().unwrap().push(line);
        let mut outboxes = std::collections::HashMap::new();
        while let Ok(event) = events.recv().await {
            match event {
                Event::Join { id, name, outbox } => {
                    seen(format!(
                        "Join({id}, {name}, capacity {:?})",
                        outbox.capacity()
                    ));
                    let _ = outbox.try_send(format!("* welcome, {name}"));
                    outboxes.insert(id, outbox);
                }
                Event::Message { id, line } => seen(format!("Message({id}, {line})")),
                Event::Leave { id } => {
                    seen(format!("Leave({id})"));
                    outboxes.remove(&id);
                }
            }
        }
        log.lock().unwrap().clone()
    }

    fn run_client(id: ClientId, input: Script) -> (io::Result<()>, Vec<String>, Sink) {
        let sink = Sink::default();
        let out = sink.clone();
        let (res, seen) = check(S).run(async move {
            let (events, inbox) = async_channel::unbounded();
            let log = Arc::new(Mutex::new(Vec::<String>::new()));
            let seen = log.clone();
            let client = or_stuck(handle_client(id, input, out, events), move || {
                let seen = seen.lock().unwrap().clone();
                let stuck = if seen.len() == 1 && seen[0].starts_with("Join") {
                    "the broker got the Join and then nothing: it never read a line after \
                     the name. Did it await the writer (or write_lines) before reading? The \
                     writer ends only after Leave, and Leave comes after reading: spawn the \
                     writer, read, send Leave, and only then await the writer."
                } else {
                    "Every way out of the read loop sends Leave, and then the writer (whose \
                     queue the broker closed on Leave) ends: await it last."
                };
                format!(
                    "handle_client() had its whole input (a scripted stream that ends) and \
                     did not finish within {:.1} s; the broker saw {seen:?}: {stuck}{}",
                    PATIENCE.as_secs_f32(),
                    read(S)
                )
            });
            future::zip(client, fake_broker(inbox, log)).await
        });
        (res, seen, sink)
    }

    fn assert_bounded(seen: &[String]) {
        let join = seen.first().cloned().unwrap_or_default();
        assert!(
            !join.contains("capacity None"),
            "the client's queue is unbounded ({join}). A client that stops reading would \
             then make the server's memory grow without limit. Make it \
             async_channel::bounded(OUTBOX_CAPACITY){}",
            read(S)
        );
    }

    fn cap() -> String {
        format!("capacity {:?}", Some(OUTBOX_CAPACITY))
    }

    #[test]
    fn joins_sends_each_line_and_leaves_at_end_of_file() {
        let (res, seen, sink) = run_client(7, Script::eof("ann\nhi\nthere\n"));
        assert_bounded(&seen);
        assert_eq!(
            seen,
            [
                format!("Join(7, ann, {})", cap()),
                "Message(7, hi)".to_string(),
                "Message(7, there)".to_string(),
                "Leave(7)".to_string(),
            ],
            "expected: Join with the first line as the name and a queue of capacity \
             OUTBOX_CAPACITY, one Message per later line (without the newline), then \
             Leave at end of file{}",
            read(S)
        );
        assert!(
            res.is_ok(),
            "end of file is a normal goodbye: return Ok(()), got {res:?}{}",
            read(S)
        );
        // The writer task may still be finishing: give it a moment.
        let sink2 = sink.clone();
        check(S).run(or_stuck(
            async move {
                while !sink2.text().contains("* welcome, ann\n") {
                    future::yield_now().await;
                }
            },
            move || {
                format!(
                    "the broker put `* welcome, ann` into ann's queue, but nothing wrote it \
                     to the connection (written: {:?}). Spawn a writer task running \
                     write_lines(queue, writer) before you send Join.{}",
                    sink.text(),
                    read(S)
                )
            },
        ));
    }

    #[test]
    fn leaves_when_reading_fails_too() {
        let (res, seen, _) = run_client(8, Script::reset("bob\nhello\n"));
        assert_bounded(&seen);
        assert_eq!(
            seen.first().map(String::as_str),
            Some(format!("Join(8, bob, {})", cap()).as_str()),
            "the first event must be Join with the name bob{}",
            read(S)
        );
        assert!(
            seen.last().map(String::as_str) == Some("Leave(8)"),
            "reading failed with ConnectionReset (an abrupt disconnect) and the broker got \
             no Leave: {seen:?}. A `?` on the read returned early and skipped it, so the \
             broker keeps a dead client forever. Send Leave on every way out: end of file \
             AND error{}",
            read(S)
        );
        assert_eq!(
            seen,
            [
                format!("Join(8, bob, {})", cap()),
                "Message(8, hello)".to_string(),
                "Leave(8)".to_string()
            ],
            "expected Join, one Message, then Leave{}",
            read(S)
        );
        match res {
            Err(e) => assert_eq!(
                e.kind(),
                io::ErrorKind::ConnectionReset,
                "return the read error itself, got {e:?}{}",
                read(S)
            ),
            Ok(()) => panic!(
                "handle_client() returned Ok(()) although reading failed with \
                 ConnectionReset: send Leave, then return the error (do not swallow it).{}",
                read(S)
            ),
        }
    }

    /// The writer that handle_client starts is graded like write_lines: a
    /// long line the broker queues must reach the socket whole, also when
    /// the socket takes only a few KiB per write.
    #[test]
    fn the_writer_it_starts_delivers_a_long_line_whole() {
        let exchange = through_small_buffers(|lines, out| async move {
            let (events, inbox) = async_channel::unbounded();
            // A broker that queues the two lines for the client as
            // soon as it joins, and drops its queue on Leave.
            let fake = async move {
                let mut outbox = None;
                while let Ok(event) = inbox.recv().await {
                    match event {
                        Event::Join { outbox: o, .. } => {
                            while let Ok(l) = lines.try_recv() {
                                let _ = o.try_send(l);
                            }
                            outbox = Some(o);
                        }
                        Event::Leave { .. } => outbox = None,
                        Event::Message { .. } => {}
                    }
                }
                drop(outbox);
            };
            let input = Script::eof("ann\n");
            let client = or_stuck(handle_client(1, input, out, events), || {
                format!(
                    "handle_client() had its whole input (`ann` and then end of file) and \
                     did not finish within {:.1} s. Did it await the writer before reading? \
                     Spawn the writer, read, send Leave, and only then await the writer: it \
                     never read a line otherwise.{}",
                    PATIENCE.as_secs_f32(),
                    read(S)
                )
            });
            future::zip(client, fake).await.0
        });
        check(S).poll_budget(IO_BUDGET).run(async move {
            let (got, want, res) = exchange.await;
            assert!(
                res.is_ok(),
                "end of file is a normal goodbye: return Ok(()), got {res:?}{}",
                read(S)
            );
            assert_whole(&got, &want, "the writer task of handle_client()", S);
        });
    }

    #[test]
    fn a_client_that_never_says_its_name_never_joins() {
        let (res, seen, _) = run_client(9, Script::eof(""));
        assert!(
            seen.is_empty(),
            "the connection closed before sending a name, yet the broker got {seen:?}. \
             Join only once you have the name (and then no Leave is owed){}",
            read(S)
        );
        assert!(res.is_ok(), "expected Ok(()), got {res:?}{}", read(S));
    }
}

mod serve {
    use super::*;
    use futures_lite::io::BufReader;
    use futures_lite::{AsyncBufReadExt, AsyncWriteExt};
    use smol::net::{TcpListener, TcpStream};

    const S: &str = "exercise-serve";

    /// A check for the server: room for NET_PATIENCE and busy sockets.
    fn net_check() -> Check {
        check(S)
            .timeout(NET_PATIENCE + Duration::from_secs(2))
            .poll_budget(IO_BUDGET)
    }

    /// One chat client over a real loopback socket.
    struct Client {
        name: String,
        reader: BufReader<TcpStream>,
        writer: TcpStream,
        /// Lines received so far.
        heard: usize,
    }

    impl Client {
        async fn join(addr: std::net::SocketAddr, name: &str) -> Client {
            let stream = TcpStream::connect(addr)
                .await
                .expect("connect to the server");
            let mut c = Client {
                name: name.to_string(),
                reader: BufReader::new(stream.clone()),
                writer: stream,
                heard: 0,
            };
            c.send(name).await;
            c
        }

        async fn send(&mut self, line: &str) {
            self.writer
                .write_all(format!("{line}\n").as_bytes())
                .await
                .expect("write to the server");
        }

        /// The next line, or a failure that says what was expected.
        async fn expect(&mut self, want: &str, why: &str) {
            let mut got = String::new();
            let first = self.heard == 0;
            let n = or_stuck_after(NET_PATIENCE, self.reader.read_line(&mut got), || {
                let nothing_yet = if first {
                    format!(
                        " Nothing has reached {} at all yet: is the broker running, for as \
                         long as serve() runs? A Task that is dropped is cancelled: \
                         `smol::spawn(broker(inbox));` without keeping the Task stops the \
                         broker at once.",
                        self.name
                    )
                } else {
                    String::new()
                };
                format!(
                    "{} waited {:.1} s for `{}` and got nothing. {why}{nothing_yet}{}",
                    self.name,
                    NET_PATIENCE.as_secs_f32(),
                    short(want),
                    read(S)
                )
            })
            .await;
            let n = n.expect("read from the server");
            if n == 0 {
                if first {
                    panic!(
                        "the server closed {name}'s connection (end of file) while {name} \
                         waited for `{}`, the first line {name} should hear. {name} said \
                         the name and the server hung up: the broker is not running, so \
                         the connection's Join had nowhere to go. The broker's Task was \
                         dropped (a dropped Task is a cancelled task: \
                         `smol::spawn(broker(inbox));` on its own line, or `let _ = ...`). \
                         Keep the broker's Task in a variable for as long as serve() runs, \
                         or detach it.{}",
                        short(want),
                        read(S),
                        name = self.name,
                    );
                }
                panic!(
                    "the server closed {}'s connection (end of file) while {} waited for \
                     `{}`. {why} A connection ends only when its client leaves.{}",
                    self.name,
                    self.name,
                    short(want),
                    read(S)
                );
            }
            self.heard += 1;
            let got = got.trim_end_matches('\n');
            assert!(
                got == want,
                "{} expected `{}` and got `{}`. {why}{}",
                self.name,
                short(want),
                short(got),
                read(S)
            );
        }
    }

    /// Makes sure the broker has `c` in its map before anyone else joins.
    /// Two connections are two tasks, so two clients that connect one
    /// after the other can still reach the broker in either order, and the
    /// first would then never hear `* SECOND joined`. A probe client joins:
    /// whichever of the two hears about the other first, both are in the
    /// map from then on. The probe leaves, and `c` hears `* PROBE left`.
    async fn settle(addr: std::net::SocketAddr, c: &mut Client) {
        use futures_lite::AsyncBufReadExt as _;
        let probe_name = format!("{}-probe", c.name);
        let mut probe = Client::join(addr, &probe_name).await;
        let (who, probe_who) = (c.name.clone(), probe_name.clone());
        let probe_heard_first = or_stuck_after(
            NET_PATIENCE,
            future::or(async { c.reader.fill_buf().await.map(|_| false) }, async {
                probe.reader.fill_buf().await.map(|_| true)
            }),
            move || {
                format!(
                    "{who} and then {probe_who} joined, and in {:.1} s neither heard that \
                     the other joined. Is the broker running, for as long as serve() \
                     runs? A Task that is dropped is cancelled: \
                     `smol::spawn(broker(inbox));` without keeping the Task stops the \
                     broker at once. Does every connection get a task of its own?{}",
                    NET_PATIENCE.as_secs_f32(),
                    read(S)
                )
            },
        )
        .await
        .expect("read from the server");
        let announced = "A join is announced to everyone already there.";
        if probe_heard_first {
            probe
                .expect(&format!("* {} joined", c.name), announced)
                .await;
        } else {
            c.expect(&format!("* {probe_name} joined"), announced).await;
        }
        drop(probe);
        c.expect(
            &format!("* {probe_name} left"),
            "A client that disconnects is announced to the others as `* NAME left`.",
        )
        .await;
    }

    /// A long line, cut for a failure message.
    fn short(line: &str) -> String {
        if line.len() <= 40 {
            line.to_string()
        } else {
            format!("{}... ({} bytes)", &line[..30], line.len())
        }
    }

    /// Runs `body` against a fresh server on 127.0.0.1:0.
    fn with_server<F, Fut>(check: Check, body: F)
    where
        F: FnOnce(std::net::SocketAddr) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        check.run(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("local_addr");
            let server = async move {
                let res = serve(listener).await;
                panic!(
                    "serve() returned {res:?} while clients were still connecting. It runs \
                     the accept loop until accepting fails.{}",
                    read(S)
                )
            };
            server.or(body(addr)).await
        })
    }

    #[test]
    fn a_line_reaches_every_other_client_in_order() {
        with_server(net_check(), |addr| async move {
            let mut ann = Client::join(addr, "ann").await;
            settle(addr, &mut ann).await;
            let mut bob = Client::join(addr, "bob").await;
            ann.expect(
                "* bob joined",
                "A join is announced to everyone already there.",
            )
            .await;
            let mut cy = Client::join(addr, "cy").await;
            ann.expect("* cy joined", "").await;
            bob.expect("* cy joined", "").await;
            for i in 0..20 {
                ann.send(&format!("line {i}")).await;
            }
            for i in 0..20 {
                let want = format!("ann: line {i}");
                bob.expect(&want, "Every line of ann, in order.").await;
                cy.expect(&want, "Every line of ann, in order.").await;
            }
            bob.send("done").await;
            ann.expect(
                "bob: done",
                "ann must not get her own lines back: the broker skips the sender.",
            )
            .await;
        });
    }

    #[test]
    fn a_client_that_never_reads_does_not_stall_the_others() {
        // Enough bytes to fill the kernel's buffers for `slow` (a few MB on
        // loopback) and then its queue: from there on the server must drop
        // lines for `slow` and keep serving bob.
        const N: usize = 1024;
        const WINDOW: usize = 16;
        let pad = "x".repeat(16 * 1024);
        with_server(
            net_check().timeout(Duration::from_secs(30)),
            move |addr| async move {
                let mut ann = Client::join(addr, "ann").await;
                settle(addr, &mut ann).await;
                let mut bob = Client::join(addr, "bob").await;
                ann.expect("* bob joined", "").await;
                // slow says its name and then never reads a byte.
                let _slow = Client::join(addr, "slow").await;
                ann.expect("* slow joined", "").await;
                bob.expect("* slow joined", "").await;
                // ann keeps at most WINDOW lines ahead of bob, so bob's own
                // queue never fills: every line must reach him.
                for i in 0..N + WINDOW {
                    if i >= WINDOW {
                        let j = i - WINDOW;
                        let why = format!(
                            "bob has received {j} of ann's {N} lines while `slow` reads \
                             nothing. Once slow's socket buffer and queue are full, a broker \
                             that awaits `send(..)` on slow's bounded queue stops for \
                             everyone: backpressure from the slowest client. Use try_send \
                             (deliver) and drop the line for the slow client."
                        );
                        bob.expect(&format!("ann: {j:05} {pad}"), &why).await;
                    }
                    if i < N {
                        ann.send(&format!("{i:05} {pad}")).await;
                    }
                    // When the data is already there, neither the read nor
                    // the write ever says Pending: without this, one poll
                    // of this loop could run for a long time and trip the
                    // blocking detector although the server is fine.
                    future::yield_now().await;
                }
            },
        );
    }

    #[test]
    fn an_abrupt_disconnect_is_announced_and_the_chat_goes_on() {
        with_server(net_check(), |addr| async move {
            let mut ann = Client::join(addr, "ann").await;
            settle(addr, &mut ann).await;
            let bob = Client::join(addr, "bob").await;
            ann.expect("* bob joined", "").await;
            // bob has unread data when he vanishes, so the server's side of
            // his connection is reset rather than closed politely.
            ann.send("are you there, bob?").await;
            let mut peek = [0u8; 1];
            or_stuck_after(NET_PATIENCE, bob.writer.peek(&mut peek), || {
                format!("bob never got `ann: are you there, bob?`{}", read(S))
            })
            .await
            .expect("peek");
            drop(bob);
            ann.expect(
                "* bob left",
                "bob's connection was cut without a goodbye. The reader must send Leave on \
                 a read error as well as at end of file, and the broker announces it.",
            )
            .await;
            let mut dan = Client::join(addr, "dan").await;
            ann.expect("* dan joined", "The server must keep accepting.")
                .await;
            ann.send("hi dan").await;
            dan.expect("ann: hi dan", "").await;
        });
    }
}
