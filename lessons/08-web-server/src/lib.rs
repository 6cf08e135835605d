//! Lesson 08 demos share this: a tiny line protocol spoken over
//! `smol::net`, one server session per connection, and a client that can
//! dawdle between its lines. The web server exercises' requests,
//! responses, handlers and stats are given here too (re-exported by the
//! exercise).
//!
//! The protocol: the client sends one command per line, the server answers
//! each with one line.
//!
//! | command     | answer          |
//! |-------------|-----------------|
//! | `PING`      | `PONG`          |
//! | `ECHO text` | `text`          |
//! | `UPPER text`| `TEXT`          |
//! | `BYE`       | `BYE`, then the server closes |

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::net::TcpStream;
use smol::{Task, Timer};

pub use testkit::timeline::Timeline;

mod given;
pub use given::{Handler, Request, Response, Stats, handler, reason};

// ANCHOR: answer
/// The answer to one command line, and whether the session goes on after
/// it (`false` after `BYE`).
pub fn answer(line: &str) -> (String, bool) {
    let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
    match cmd {
        "PING" => ("PONG".to_string(), true),
        "ECHO" => (rest.to_string(), true),
        "UPPER" => (rest.to_uppercase(), true),
        "BYE" => ("BYE".to_string(), false),
        _ => (format!("ERR unknown command {cmd:?}"), true),
    }
}
// ANCHOR_END: answer

// ANCHOR: session
/// Serves one client: read a line, write the answer, until `BYE` or EOF.
pub async fn session(stream: TcpStream) -> io::Result<()> {
    // Two handles to one socket: one buffered for reading, one for writing.
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(()); // the client hung up
        }
        let (reply, go_on) = answer(line.trim_end());
        writer.write_all(format!("{reply}\n").as_bytes()).await?;
        writer.flush().await?;
        if !go_on {
            return Ok(());
        }
    }
}
// ANCHOR_END: session

/// A client: connects, sends each command after `pause`, reads each answer.
/// Its whole visit is one span on `timeline`.
pub async fn visit(
    addr: SocketAddr,
    who: &str,
    commands: &[&str],
    pause: Duration,
    timeline: &Timeline,
) -> io::Result<Vec<String>> {
    let _bar = timeline.span(who);
    let stream = TcpStream::connect(addr).await?;
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;
    let mut answers = Vec::new();
    for cmd in commands {
        Timer::after(pause).await; // the client thinks about what to type
        writer.write_all(format!("{cmd}\n").as_bytes()).await?;
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        answers.push(format!("{who}: {cmd} -> {}", line.trim_end()));
    }
    Ok(answers)
}

/// Who visits in the demos: Ada types slowly, the others are quick.
pub const VISITORS: [(&str, Duration); 3] = [
    ("Ada (slow)", Duration::from_millis(150)),
    ("Bob", Duration::from_millis(10)),
    ("Cy", Duration::from_millis(10)),
];

/// What every visitor says.
pub const COMMANDS: [&str; 3] = ["PING", "UPPER latte", "BYE"];

/// Starts every visitor as a task: Ada first, the others a moment later, so
/// Ada is the first in the listener's queue.
pub fn spawn_visitors(addr: SocketAddr, timeline: &Timeline) -> Vec<Task<io::Result<Vec<String>>>> {
    VISITORS
        .iter()
        .enumerate()
        .map(|(i, &(who, pause))| {
            let timeline = timeline.clone();
            smol::spawn(async move {
                if i > 0 {
                    Timer::after(Duration::from_millis(20)).await;
                }
                visit(addr, who, &COMMANDS, pause, &timeline).await
            })
        })
        .collect()
}
