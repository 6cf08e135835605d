//! Self-check for chapter 13: what do the three lines say?
//!
//! Run it: cargo run -p lesson13-common-mistakes --example quiz13_context

use anyhow::Context;

fn parse_port(text: &str) -> anyhow::Result<u16> {
    let port = text
        .parse::<u16>()
        .with_context(|| format!("port {text:?} is not a port number"))?;
    Ok(port)
}

fn main() {
    // ANCHOR: quiz
    let err = parse_port("80a0").context("line 3").unwrap_err();
    println!("{err}");
    println!("{err:#}");
    let cause = err.root_cause().downcast_ref::<std::num::ParseIntError>();
    println!("root cause is a ParseIntError: {}", cause.is_some());
    // ANCHOR_END: quiz
}
