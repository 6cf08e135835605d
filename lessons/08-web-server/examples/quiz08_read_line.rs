//! Self-check for chapter 08: what does each read_line return?
//!
//! Run it: cargo run -p lesson08-web-server --example quiz08_read_line

use futures_lite::io::{AsyncBufReadExt, BufReader};

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let request = "GET /menu HTTP/1.1\r\nHost: café\r\n\r\n";
        let mut reader = BufReader::new(request.as_bytes());
        for _ in 0..4 {
            let mut line = String::new();
            let n = reader.read_line(&mut line).await.unwrap();
            println!("{n:2} bytes, {:2} chars: {line:?}", line.chars().count());
        }
    });
    // ANCHOR_END: quiz
}
