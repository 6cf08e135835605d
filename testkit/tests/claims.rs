//! The test kit proves each of its claims here.

use std::time::Duration;

use futures_lite::future;
use smol::Timer;
use testkit::probes::{Counter, DropProbe, Gate, InFlight, WakeProbe, count_polls, poll_with};
use testkit::{Check, run, run_sync};

#[test]
#[should_panic(expected = "blocked the executor for")]
fn thread_sleep_inside_an_async_block_is_flagged() {
    run(async {
        std::thread::sleep(Duration::from_millis(200));
    });
}

#[test]
fn timer_await_is_not_flagged() {
    let out = run(async {
        Timer::after(Duration::from_millis(200)).await;
        42
    });
    assert_eq!(out, 42);
}

#[test]
#[should_panic(expected = "Pending with nothing left to wake it")]
fn a_future_that_never_wakes_fails_inside_the_limit() {
    Check::new()
        .timeout(Duration::from_millis(500))
        .run(future::pending::<()>());
}

#[test]
#[should_panic(expected = "stuck inside one call")]
fn a_blocking_deadlock_inside_poll_is_named() {
    Check::new()
        .timeout(Duration::from_millis(500))
        .no_poll_budget()
        .run(async {
            let (_tx, rx) = std::sync::mpsc::channel::<()>();
            rx.recv().ok();
        });
}

#[test]
#[should_panic(expected = "two threads waiting for each other")]
fn run_sync_deadlock_is_caught() {
    Check::new()
        .timeout(Duration::from_millis(500))
        .run_sync(|| {
            // Waits for a message that nobody will ever send.
            let (_tx, rx) = std::sync::mpsc::channel::<()>();
            rx.recv().ok();
        });
}

#[test]
#[should_panic(expected = "reached a `todo!()`")]
fn todo_is_reported_as_unsolved() {
    run(async { todo!() });
}

#[test]
#[should_panic(expected = "the learner's own message")]
fn other_panics_pass_through_unchanged() {
    run(async { panic!("the learner's own message") });
}

#[test]
#[should_panic(expected = "at most 1 ever were")]
fn sequential_code_fails_the_gate() {
    let gate = Gate::with(3, Duration::from_millis(300), "one after another");
    run(async move {
        for _ in 0..3 {
            gate.wait().await;
        }
    });
}

#[test]
fn concurrent_code_opens_the_gate() {
    let gate = Gate::new(3);
    let g = gate.clone();
    run(async move {
        let a = g.wait();
        let b = g.wait();
        let c = g.wait();
        future::zip(a, future::zip(b, c)).await;
    });
    assert!(gate.is_open());
    assert_eq!(gate.most_waiting(), 3);
}

#[test]
fn threads_open_the_blocking_gate() {
    let gate = Gate::new(4);
    let g = gate.clone();
    run_sync(move || {
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| g.wait_blocking());
            }
        })
    });
    assert_eq!(gate.arrived(), 4);
}

#[test]
#[should_panic(expected = "at most 1 ever were")]
fn joined_threads_one_by_one_fail_the_blocking_gate() {
    let gate = Gate::with(2, Duration::from_millis(300), "joined too early");
    run_sync(move || {
        for _ in 0..2 {
            let g = gate.clone();
            if let Err(panic) = std::thread::spawn(move || g.wait_blocking()).join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

#[test]
fn in_flight_counts_the_peak() {
    let probe = InFlight::new();
    let p = probe.clone();
    run(async move {
        let gate = Gate::new(5);
        let ops = (0..5).map(|_| {
            let p = p.clone();
            let gate = gate.clone();
            smol::spawn(async move {
                let _g = p.enter();
                gate.wait().await;
            })
        });
        for t in ops.collect::<Vec<_>>() {
            t.await;
        }
    });
    assert_eq!(probe.max(), 5);
    assert_eq!(probe.total(), 5);
    assert_eq!(probe.current(), 0);
}

#[test]
fn polls_and_wakes_are_counted_exactly() {
    let (fut, polls) = count_polls(async {
        future::yield_now().await;
        future::yield_now().await;
    });
    let (wakes, waker) = WakeProbe::new();
    let mut fut = Box::pin(fut);
    assert!(poll_with(fut.as_mut(), &waker).is_pending());
    assert!(poll_with(fut.as_mut(), &waker).is_pending());
    assert!(poll_with(fut.as_mut(), &waker).is_ready());
    assert_eq!(polls.get(), 3);
    assert_eq!(wakes.wakes(), 2, "yield_now wakes itself once per yield");
    let c = Counter::new();
    c.add(2);
    assert_eq!(c.get(), 2);
}

#[test]
fn wake_probe_can_be_waited_on() {
    let (probe, waker) = WakeProbe::new();
    std::thread::spawn(move || waker.wake());
    assert!(probe.wait_woken(Duration::from_secs(5)));
    assert_eq!(probe.wakes(), 1);
}

#[test]
fn drop_probe_sees_cancellation() {
    let probe = DropProbe::new();
    let token = probe.token();
    let task = smol::spawn(async move {
        let _t = token;
        future::pending::<()>().await;
    });
    assert!(!probe.dropped());
    run(async move { task.cancel().await });
    assert!(probe.dropped());
}

#[test]
fn loopback_helpers_connect() {
    use std::io::Write;
    let (mut client, server) = testkit::net::pair();
    client.write_all(b"hello").unwrap();
    testkit::net::wait_for_bytes(&server, 5).unwrap();
    let (_l, addr) = testkit::net::listener();
    let cs = testkit::net::clients(addr, 3, Duration::from_secs(5));
    assert_eq!(cs.len(), 3);
}

#[test]
fn detect_blocking_measures_one_task() {
    let res = Check::new().no_poll_budget().run(async {
        let slow = async { std::thread::sleep(Duration::from_millis(120)) };
        testkit::detect_blocking(slow, Duration::from_millis(20)).await
    });
    let took = res.expect_err("a 120 ms sleep inside one poll must be flagged");
    assert!(took >= Duration::from_millis(120));
}
