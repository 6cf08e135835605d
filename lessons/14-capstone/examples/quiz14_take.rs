//! Self-check for chapter 14: what do the three reads return?
//!
//! Run it: cargo run -p lesson14-capstone --example quiz14_take

use futures_lite::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let mut reader = BufReader::new(&b"PING\nECHO hello world\nQUIT\n"[..]);
        for _ in 0..3 {
            let mut line = Vec::new();
            let n = (&mut reader)
                .take(8) // at most 8 bytes for this read
                .read_until(b'\n', &mut line)
                .await
                .unwrap();
            println!("{n} bytes: {:?}", String::from_utf8_lossy(&line));
        }
    });
    // ANCHOR_END: quiz
}
