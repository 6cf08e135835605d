//! Self-check for chapter 09: which events does the broker get?
//!
//! Run it: cargo run -p lesson09-chat-server --example quiz09_leave

use std::io;

use futures_lite::{StreamExt, stream};

/// A reader whose lines end with a reset, like a client that vanished.
fn lines() -> impl futures_lite::Stream<Item = io::Result<&'static str>> {
    let reset = io::Error::from(io::ErrorKind::ConnectionReset);
    stream::iter(vec![Ok("hi"), Ok("brb"), Err(reset)])
}

// ANCHOR: quiz
async fn with_question_mark(events: &mut Vec<String>) -> io::Result<()> {
    let mut lines = lines();
    while let Some(line) = lines.next().await {
        let line = line?;
        events.push(format!("Message({line})"));
    }
    events.push("Leave".into());
    Ok(())
}

async fn with_break(events: &mut Vec<String>) -> io::Result<()> {
    let mut lines = lines();
    let result = loop {
        match lines.next().await {
            Some(Ok(line)) => events.push(format!("Message({line})")),
            Some(Err(e)) => break Err(e),
            None => break Ok(()),
        }
    };
    events.push("Leave".into());
    result
}

fn main() {
    smol::block_on(async {
        let mut events = Vec::new();
        let r = with_question_mark(&mut events).await;
        println!("?:     {events:?} -> {:?}", r.map_err(|e| e.kind()));
        let mut events = Vec::new();
        let r = with_break(&mut events).await;
        println!("break: {events:?} -> {:?}", r.map_err(|e| e.kind()));
    });
}
// ANCHOR_END: quiz
