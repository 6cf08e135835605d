//! Checks for lesson 02 — non-blocking calls and readiness. Compiled for both
//! exercises/02-non-blocking-io and solutions/02-non-blocking-io.
//!
//! Everything runs on loopback sockets bound to 127.0.0.1:0. "The data has
//! arrived" is made a fact with a peek before the code under test runs, and
//! busy-spinning is caught by counting wakes, never by a clock.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::panic::resume_unwind;
use std::time::Duration;

use async_io::Async;
use non_blocking_io::{drain_available, echo, echo_clients, read_exact_async};
use testkit::Check;
use testkit::net::{async_listener, pair, pair_small_buffers, wait_for_bytes};
use testkit::probes::{Gate, WakeProbe, count_polls, poll_with};

/// The watchdog: a correct solution needs milliseconds, so a read that
/// waits forever (a blocking read, a loop on `Ok(0)`) is stopped quickly.
fn check(section: &str) -> Check {
    Check::new()
        .section(&format!("02-non-blocking-io.md#{section}"))
        .timeout(Duration::from_millis(1500))
}

mod drain_available {
    use super::*;

    const WAITED: &str = "drain_available waited for more data that had not arrived. A \
        blocking read sleeps until something comes. Call set_nonblocking(true) first and \
        stop reading at ErrorKind::WouldBlock.";

    /// Calls drain_available on `server` under the watchdog, keeping the
    /// peer connected until the call returns.
    fn drain(client: TcpStream, mut server: TcpStream, hint: &str) -> io::Result<Vec<u8>> {
        check("exercise-drain_available")
            .hint(hint)
            .run_sync(move || {
                let got = drain_available(&mut server);
                drop(client);
                got
            })
    }

    #[test]
    fn returns_what_has_arrived_without_waiting_for_more() {
        let (mut client, server) = pair();
        client.write_all(b"hello").unwrap();
        wait_for_bytes(&server, 5).unwrap();
        let got = drain(client, server, WAITED);
        assert_eq!(
            got.expect("reading what has arrived must succeed"),
            b"hello",
            "expected exactly the 5 bytes the peer had sent"
        );
    }

    #[test]
    fn a_connection_reset_is_an_error_not_the_end() {
        let (client, mut server) = pair();
        // The peer aborts: with a zero linger, closing sends a reset (RST)
        // instead of the usual end of stream.
        socket2::SockRef::from(&client)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(client);
        // Wait until the reset has arrived: readiness reports it without
        // consuming the error the next read will return.
        let arrived = {
            let watch = Async::new(server.try_clone().unwrap()).unwrap();
            smol::block_on(futures_lite::future::or(
                async {
                    let _ = watch.readable().await;
                    true
                },
                async {
                    smol::Timer::after(Duration::from_secs(2)).await;
                    false
                },
            ))
        };
        assert!(arrived, "testkit: the reset never arrived");
        let got = check("exercise-drain_available")
            .hint(WAITED)
            .run_sync(move || drain_available(&mut server));
        if let Ok(bytes) = got {
            panic!(
                "the peer reset the connection, and drain_available returned Ok with {} \
                 bytes. A reset is an error to pass on to the caller: only WouldBlock means \
                 \"nothing more right now\", and only a read of 0 bytes means the peer \
                 closed normally.\n  (read: book/src/02-non-blocking-io.md#exercise-drain_available)",
                bytes.len()
            );
        }
    }

    #[test]
    fn returns_nothing_when_nothing_has_arrived() {
        let (client, server) = pair();
        let got = drain(client, server, WAITED);
        match got {
            Ok(bytes) => assert!(
                bytes.is_empty(),
                "nothing was sent, yet drain_available returned {} bytes",
                bytes.len()
            ),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => panic!(
                "drain_available returned the WouldBlock error. WouldBlock is not a failure: \
                 it means \"nothing more right now\". Stop reading and return what you have \
                 (here: an empty Vec).\n  (read: book/src/02-non-blocking-io.md#exercise-drain_available)"
            ),
            Err(e) => panic!("drain_available failed with {e}, but nothing went wrong"),
        }
    }

    /// Fills the connection from `client` without blocking: writes until
    /// the kernel takes no more. Everything written sits in the server's
    /// receive buffer or in the client's send buffer, from where the kernel
    /// moves it on as soon as the server reads. Returns the bytes written.
    fn fill(client: &mut TcpStream) -> Vec<u8> {
        client.set_nonblocking(true).unwrap();
        let chunk: Vec<u8> = (0..65_536u32).map(|i| (i % 251) as u8).collect();
        let mut sent = Vec::new();
        // Cap it: a few MB is far beyond any receive buffer.
        while sent.len() < 16 << 20 {
            match client.write(&chunk) {
                Ok(n) => sent.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => panic!("filling the connection failed: {e}"),
            }
        }
        sent
    }

    #[test]
    fn reads_everything_that_arrived_not_just_one_chunk() {
        let (mut client, server) = pair();
        let sent = fill(&mut client);
        wait_for_bytes(&server, 1).unwrap();
        // What one read could get at most: all that is queued right now.
        let mut all = vec![0u8; sent.len()];
        let queued = server.peek(&mut all).unwrap();
        drop(all);
        let got = drain(client, server, WAITED).expect("reading what has arrived must succeed");
        assert!(
            got.len() > queued,
            "drain_available returned {} bytes, but the peer had sent {} before the call: \
             {queued} were queued in the receive buffer and the rest waited in the peer's \
             send buffer, moving on as soon as you read. One read() gets at most what is \
             queued at that moment (and never more than its buffer): keep reading until \
             WouldBlock.\n  (read: book/src/02-non-blocking-io.md#exercise-drain_available)",
            got.len(),
            sent.len(),
        );
        assert!(
            sent.starts_with(&got),
            "the bytes came back changed or out of order"
        );
    }

    #[test]
    fn stops_at_the_end_of_the_stream() {
        let (mut client, server) = pair();
        client.write_all(b"bye").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        wait_for_bytes(&server, 3).unwrap();
        let got = drain(
            client,
            server,
            "read() returned Ok(0) and the code kept reading. Ok(0) means the peer \
                 closed its side: nothing more will ever come, so stop.",
        );
        assert_eq!(got.expect("a closed peer is not an error"), b"bye");
    }
}

mod read_exact_async {
    use super::*;

    #[test]
    fn reads_exactly_n_bytes_as_they_arrive() {
        let (mut client, server) = pair();
        let server = Async::new(server).unwrap();
        let (rest, got) = check("exercise-read_exact_async").run(async move {
            let writer = std::thread::spawn(move || {
                for chunk in [&b"abc"[..], b"def", b"ghEXTRA"] {
                    client.write_all(chunk).unwrap();
                    std::thread::yield_now();
                }
                client
            });
            let got = read_exact_async(&server, 8).await;
            let client = writer.join().unwrap();
            let mut rest = [0u8; 5];
            // Everything was sent (the writer is joined), so a non-blocking
            // read sees whatever the code under test left behind.
            let mut raw: &TcpStream = server.get_ref();
            let rest = match raw.read(&mut rest) {
                Ok(n) => rest[..n].to_vec(),
                Err(_) => Vec::new(),
            };
            drop(client);
            (rest, got)
        });
        let got = match got {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => panic!(
                "read_exact_async returned the WouldBlock error. An Async socket never blocks: \
                 a read that is not ready says WouldBlock. Await readiness (read_with or \
                 readable()) and try again instead of returning it.\n  \
                 (read: book/src/02-non-blocking-io.md#exercise-read_exact_async)"
            ),
            other => other,
        };
        let got = got.expect("8 bytes were sent; reading them must succeed");
        // Bytes beyond n first: a solution that read past n often also
        // returns them, and that is the more specific diagnosis.
        assert_eq!(
            rest,
            b"EXTRA",
            "read_exact_async took bytes beyond the 8 it was asked for (they were gone from \
             the socket afterwards, and it returned {} bytes). Those bytes belong to the \
             next reader: read into out[filled..] so a read never goes past n.\n  \
             (read: book/src/02-non-blocking-io.md#exercise-read_exact_async)",
            got.len()
        );
        assert_eq!(got, b"abcdefgh", "expected the first 8 bytes, in order");
    }

    #[test]
    fn waits_for_readiness_instead_of_spinning() {
        let (mut client, server) = pair();
        let server = Async::new(server).unwrap();
        check("exercise-read_exact_async").run_sync(move || {
            let (probe, waker) = WakeProbe::new();
            let (fut, polls) = count_polls(read_exact_async(&server, 4));
            let mut fut = Box::pin(fut);
            let first = poll_with(fut.as_mut(), &waker);
            assert!(
                first.is_pending(),
                "nothing was sent yet, so the first poll must return Pending (got Ready)"
            );
            assert_eq!(
                probe.wakes(),
                0,
                "with no data on the socket, the future woke itself {} time(s) at once. \
                 That is busy-spinning: it burns a core asking \"ready yet?\". Wait with \
                 read_with / readable() so the reactor wakes you when data arrives.\n  \
                 (read: book/src/02-non-blocking-io.md#exercise-read_exact_async)",
                probe.wakes()
            );
            client.write_all(b"ping").unwrap();
            assert!(
                probe.wait_woken(Duration::from_secs(1)),
                "data arrived, but nothing woke the future: it never registered interest \
                 with the reactor. Await read_with / readable() instead of returning Pending \
                 by hand."
            );
            let mut out = poll_with(fut.as_mut(), &waker);
            // The reactor may wake us for readiness that the next read
            // consumes in one go; allow a few rounds, not a spin.
            for _ in 0..3 {
                if out.is_ready() {
                    break;
                }
                probe.wait_woken(Duration::from_secs(1));
                out = poll_with(fut.as_mut(), &waker);
            }
            match out {
                std::task::Poll::Ready(Ok(bytes)) => assert_eq!(bytes, b"ping"),
                std::task::Poll::Ready(Err(e)) => panic!("reading 4 sent bytes failed: {e}"),
                std::task::Poll::Pending => {
                    panic!("4 bytes arrived but the future is still Pending")
                }
            }
            assert!(
                polls.get() <= 5,
                "the future was polled {} times for one 4-byte read: it is spinning",
                polls.get()
            );
        });
    }

    #[test]
    fn an_early_close_is_an_unexpected_eof() {
        let (mut client, server) = pair();
        let server = Async::new(server).unwrap();
        client.write_all(b"ab").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let got = check("exercise-read_exact_async")
            .hint(
                "read returned 0 and the loop tried again, forever. A read of 0 bytes means \
                 the peer closed: return an io::ErrorKind::UnexpectedEof error.",
            )
            .run(async move {
                let got = read_exact_async(&server, 4).await;
                drop(client);
                got
            });
        match got {
            Err(e) => assert_eq!(
                e.kind(),
                io::ErrorKind::UnexpectedEof,
                "the peer closed after 2 of 4 bytes: expected UnexpectedEof, got {e}"
            ),
            Ok(bytes) => panic!(
                "the peer closed after 2 of 4 bytes, yet read_exact_async returned Ok({bytes:?}). \
                 Only n bytes make a success."
            ),
        }
    }
}

mod echo {
    use super::*;

    /// Sends `data` from a writer thread; a reader thread collects the echo,
    /// but only once everything was sent. Until then the echo backs up in
    /// the server's (shrunk) send buffer, so the server's writes come back
    /// partial: code that ignores write()'s count loses bytes.
    fn roundtrip(data: Vec<u8>) -> (io::Result<u64>, Vec<u8>) {
        let (client, server) = pair_small_buffers();
        let server = Async::new(server).unwrap();
        let mut reader = client.try_clone().unwrap();
        reader.set_read_timeout(Some(Duration::from_secs(4))).ok();
        let mut writer = client;
        let len = data.len();
        let (sent_tx, sent_rx) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            writer.write_all(&data).unwrap();
            writer.shutdown(Shutdown::Write).unwrap();
            let _ = sent_tx.send(());
        });
        let reader = std::thread::spawn(move || {
            let _ = sent_rx.recv_timeout(Duration::from_secs(4));
            let mut back = Vec::with_capacity(len);
            let _ = reader.read_to_end(&mut back);
            back
        });
        let res = check("exercise-echo")
            .timeout(Duration::from_secs(3))
            .hint("echo never saw the end of the stream: a read of 0 bytes means the peer closed.")
            .run(async move { echo(server).await });
        writer.join().unwrap();
        (res, reader.join().unwrap())
    }

    #[test]
    fn echoes_every_byte_until_the_peer_closes() {
        let (res, back) = roundtrip(b"one\ntwo\nthree\n".to_vec());
        assert_eq!(
            back, b"one\ntwo\nthree\n",
            "the echo must repeat exactly what was sent"
        );
        assert_eq!(
            res.expect("echo must end with Ok at EOF"),
            14,
            "echo returns the number of bytes echoed"
        );
    }

    #[test]
    fn echoes_everything_despite_partial_writes() {
        let data: Vec<u8> = (0..160_000u32).map(|i| (i % 253) as u8).collect();
        // Three rounds: each one makes the server's writes come back partial
        // many times over.
        for _ in 0..3 {
            let (res, back) = roundtrip(data.clone());
            assert!(
                back.len() <= data.len(),
                "echoed {} bytes, but only {} were sent: some bytes went out twice. A write \
                 that was partly done and then retried from the start re-sends what already \
                 went out (e.g. write_all inside write_with: after a partial write it hits \
                 WouldBlock, and write_with runs the whole closure again). Write once per \
                 attempt and keep count of what was sent.\n  \
                 (read: book/src/02-non-blocking-io.md#exercise-echo)",
                back.len(),
                data.len()
            );
            assert_eq!(
                back.len(),
                data.len(),
                "echoed {} of {} bytes. write() may take only part of a buffer (and says how \
                 much): loop until every byte is written.\n  \
                 (read: book/src/02-non-blocking-io.md#exercise-echo)",
                back.len(),
                data.len()
            );
            assert!(back == data, "the echo changed or reordered bytes");
            assert_eq!(
                res.expect("echo must end with Ok at EOF"),
                data.len() as u64
            );
        }
    }
}

mod echo_clients {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// How long a client waits for its echo. The reference answers in
    /// microseconds; a server that never echoes is told so quickly.
    const ECHO_PATIENCE: Duration = Duration::from_millis(1500);

    const NEVER_POLLED: &str = "no client got its echo, although echo_clients had been \
        running for a while: the spawned tasks were never polled. A LocalExecutor only runs \
        its tasks while you drive it: wrap the whole accept-and-wait loop in \
        `ex.run(async { ... }).await` (awaiting a Task outside run() waits forever). Also \
        keep every Task: dropping one cancels it.\n  \
        (read: book/src/02-non-blocking-io.md#exercise-echo_clients)";

    #[test]
    fn serves_every_client_at_the_same_time() {
        const N: usize = 5;
        let (listener, addr) = async_listener();
        let gate = Gate::with(
            N,
            ECHO_PATIENCE,
            "echo_clients finished one client before it accepted the next, so the others \
             never got their echo. Spawn a task per accepted client on a LocalExecutor and \
             await the tasks after the accept loop.",
        );
        let total = check("exercise-echo_clients")
            .timeout(Duration::from_secs(4))
            .run_sync(move || {
                let server = std::thread::spawn(move || {
                    check("exercise-echo_clients")
                        .timeout(Duration::from_secs(3))
                        .run_local(move || async move { echo_clients(&listener, N).await })
                });
                let echoed = Arc::new(AtomicUsize::new(0));
                let clients: Vec<_> = (0..N)
                    .map(|i| {
                        let gate = gate.clone();
                        let echoed = echoed.clone();
                        std::thread::spawn(move || -> Result<u64, String> {
                            let mut s = TcpStream::connect(addr)
                                .map_err(|e| format!("client {i} could not connect: {e}"))?;
                            s.set_read_timeout(Some(ECHO_PATIENCE)).ok();
                            let line = format!("hello {i}\n");
                            s.write_all(line.as_bytes())
                                .map_err(|e| format!("client {i} could not send: {e}"))?;
                            let mut back = vec![0u8; line.len()];
                            s.read_exact(&mut back)
                                .map_err(|e| format!("client {i} got no echo: {e}"))?;
                            echoed.fetch_add(1, Ordering::SeqCst);
                            if back != line.as_bytes() {
                                return Err(format!("client {i} got a wrong echo"));
                            }
                            // Stay connected until every client has its echo.
                            gate.wait_blocking();
                            Ok(line.len() as u64)
                        })
                    })
                    .collect();
                let results: Vec<_> = clients
                    .into_iter()
                    .map(|c| c.join().unwrap_or_else(|panic| resume_unwind(panic)))
                    .collect();
                if let Some(failure) = results.iter().find_map(|r| r.as_ref().err()) {
                    // The server's own failure (a todo!(), a panic, an error)
                    // comes first: the clients only saw its consequences.
                    if server.is_finished() {
                        match server.join() {
                            Err(panic) => resume_unwind(panic),
                            Ok(Err(e)) => panic!(
                                "echo_clients returned the error {e:?} while clients were \
                                 still waiting for their echo"
                            ),
                            Ok(Ok(_)) => {}
                        }
                    }
                    if echoed.load(Ordering::SeqCst) == 0 {
                        panic!("{NEVER_POLLED}\n  (the first client said: {failure})");
                    }
                    panic!("{failure}");
                }
                let sent: u64 = results.into_iter().map(Result::unwrap).sum();
                let total = match server.join() {
                    Ok(res) => res.expect("echo_clients must return Ok"),
                    Err(panic) => resume_unwind(panic),
                };
                (sent, total)
            });
        assert_eq!(
            total.1, total.0,
            "echo_clients must return the bytes echoed to all clients together"
        );
    }
}
