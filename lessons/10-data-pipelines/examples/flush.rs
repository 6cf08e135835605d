//! Flush before drop: what a BufWriter over an async file keeps to itself
//! when nobody flushes it.
//! cargo run -p lesson10-data-pipelines --example flush
use std::io;
use std::path::Path;

use futures_lite::io::{AsyncWriteExt, BufWriter};
use lesson10_data_pipelines::Scratch;

// ANCHOR: write
/// Writes `n` lines of 28 bytes through a BufWriter, flushing or not.
async fn write(path: &Path, n: usize, flush: bool) -> io::Result<()> {
    let mut out = BufWriter::new(async_fs::File::create(path).await?);
    for i in 0..n {
        out.write_all(format!("line {i:>5} of the report...\n").as_bytes())
            .await?;
    }
    if flush {
        out.flush().await?; // the buffer, then the file
    }
    Ok(())
} // `out` is dropped here: flushed or not, nothing more gets written
// ANCHOR_END: write

fn main() -> io::Result<()> {
    let scratch = Scratch::new("flush")?;
    smol::block_on(async {
        for (n, flush) in [(3, false), (3, true), (1000, false), (1000, true)] {
            let path = scratch.file(&format!("{n}-{flush}.txt"));
            write(&path, n, flush).await?;
            let size = async_fs::metadata(&path).await?.len();
            println!(
                "{n:>4} lines, flush: {flush:<5}  wrote {:>5} bytes, the file has {size:>5}",
                n * 28,
            );
        }

        // ANCHOR: unblock
        // blocking::Unblock runs a blocking writer (here stdout) on a
        // background thread. Same rule: flush, or the last bytes may be lost.
        let mut stdout = blocking::Unblock::new(io::stdout());
        stdout
            .write_all(b"\n(this line went through blocking::Unblock)\n")
            .await?;
        stdout.flush().await?;
        // ANCHOR_END: unblock
        io::Result::Ok(())
    })?;
    println!(
        "\nWithout a flush, 3 lines (84 bytes) never leave the BufWriter's 8 KiB buffer:\n\
         the file stays empty. 1000 lines (28000 bytes) fill that buffer three times, so\n\
         the BufWriter passes 24576 bytes on to async_fs::File. But that File writes on a\n\
         background thread, and dropping it unflushed cancels that work: only what the\n\
         thread had written by then arrives. Run the demo a few times: the number changes\n\
         (0, 16352, 24528, ...), and it is never 28000. With a flush, every byte arrives."
    );
    Ok(())
}
