//! Lesson 02 demos: blocking reads, WouldBlock, and readiness.

pub use testkit::net::pair;
pub use testkit::timeline::Timeline;

/// How long the demo's peer waits before it sends anything.
pub const PEER_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

/// Starts a thread that waits [`PEER_DELAY`], then writes `msg` to `stream`
/// and closes it: a slow peer.
pub fn slow_peer(
    mut stream: std::net::TcpStream,
    msg: &'static [u8],
) -> std::thread::JoinHandle<()> {
    use std::io::Write;
    std::thread::spawn(move || {
        std::thread::sleep(PEER_DELAY);
        stream.write_all(msg).unwrap();
    })
}
