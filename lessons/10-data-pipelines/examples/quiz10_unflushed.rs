//! Self-check for chapter 10: how many bytes reach `out`?
//!
//! Run it: cargo run -p lesson10-data-pipelines --example quiz10_unflushed

use futures_lite::AsyncWriteExt;
use futures_lite::io::BufWriter;

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let mut out: Vec<u8> = Vec::new();
        {
            let mut w = BufWriter::new(&mut out);
            w.write_all(b"hello\n").await.unwrap();
            w.write_all(b"world\n").await.unwrap();
        } // w is dropped here
        println!("without flush: {} bytes", out.len());

        let mut out: Vec<u8> = Vec::new();
        {
            let mut w = BufWriter::new(&mut out);
            w.write_all(b"hello\n").await.unwrap();
            w.write_all(b"world\n").await.unwrap();
            w.flush().await.unwrap();
        }
        println!("with flush: {} bytes", out.len());
    });
    // ANCHOR_END: quiz
}
