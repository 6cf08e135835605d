//! A three-stage pipeline over files: read a log file line by line, keep and
//! reshape the error lines, write them to a second file. Bounded channels
//! between the stages, each stage its own task.
//! cargo run -p lesson10-data-pipelines --example file_pipeline
use std::io;
use std::path::Path;

use futures_lite::StreamExt;
use futures_lite::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use lesson10_data_pipelines::{Gauge, Scratch, Timeline};

const LINES: usize = 100_000;
const CAP: usize = 64;

/// Writes a made-up server log of `LINES` lines, every 10th an error.
async fn make_log(path: &Path) -> io::Result<u64> {
    let mut out = BufWriter::new(async_fs::File::create(path).await?);
    for i in 0..LINES {
        let level = if i % 10 == 7 { "ERROR" } else { "INFO" };
        let line = format!(
            "12:{:02}:{:02} {level} request {i} took {} ms\n",
            i / 60 % 60,
            i % 60,
            i % 97
        );
        out.write_all(line.as_bytes()).await?;
    }
    out.flush().await?;
    Ok(async_fs::metadata(path).await?.len())
}

fn main() -> io::Result<()> {
    let scratch = Scratch::new("file-pipeline")?;
    let input = scratch.file("server.log");
    let output = scratch.file("errors.log");
    let gauge = Gauge::new();
    let timeline = smol::block_on(make_log(&input)).map(|size| {
        println!("wrote {LINES} lines ({size} bytes) to {}", input.display());
        Timeline::new()
    })?;

    smol::block_on(async {
        // ANCHOR: stages
        let (lines_tx, lines_rx) = async_channel::bounded::<String>(CAP);
        let (errors_tx, errors_rx) = async_channel::bounded::<String>(CAP);

        // Stage 1: read the file one line at a time.
        let (tl, g, path) = (timeline.clone(), gauge.clone(), input.clone());
        let read = smol::spawn(async move {
            let _bar = tl.span("read");
            let mut lines = BufReader::new(async_fs::File::open(&path).await?).lines();
            while let Some(line) = lines.next().await {
                g.enter();
                // send() waits while the channel is full: backpressure.
                if lines_tx.send(line?).await.is_err() {
                    break; // the next stage is gone
                }
            }
            io::Result::Ok(())
        }); // the task owns lines_tx: when it ends, the channel closes

        // Stage 2: keep the errors, reshape them.
        let (tl, g) = (timeline.clone(), gauge.clone());
        let transform = smol::spawn(async move {
            let _bar = tl.span("transform");
            while let Ok(line) = lines_rx.recv().await {
                if let Some((time, what)) = line.split_once(" ERROR ") {
                    if errors_tx.send(format!("[{time}] {what}")).await.is_err() {
                        break;
                    }
                } else {
                    g.leave(); // not an error: dropped here
                }
            }
        });

        // Stage 3: write the errors to a file, through a BufWriter.
        let (tl, g, path) = (timeline.clone(), gauge.clone(), output.clone());
        let write = smol::spawn(async move {
            let _bar = tl.span("write");
            let mut out = BufWriter::new(async_fs::File::create(&path).await?);
            let mut written = 0;
            while let Ok(line) = errors_rx.recv().await {
                out.write_all(line.as_bytes()).await?;
                out.write_all(b"\n").await?;
                g.leave();
                written += 1;
            }
            out.flush().await?; // or the last lines stay in the buffer
            io::Result::Ok(written)
        });

        read.await?;
        transform.await;
        let written = write.await?;
        // ANCHOR_END: stages

        let out_size = async_fs::metadata(&output).await?.len();
        println!(
            "kept {written} error lines ({out_size} bytes) in {}",
            output.display()
        );
        println!(
            "lines in the pipeline at once: at most {} (bound: 2 x {CAP} in the channels + 3 in \
             the stages' hands = {})",
            gauge.most(),
            2 * CAP + 3
        );
        // Read back only the first line: no need to load the whole file.
        let mut lines = BufReader::new(async_fs::File::open(&output).await?).lines();
        if let Some(first) = lines.next().await {
            println!("first error line: {}", first?);
        }
        io::Result::Ok(())
    })?;
    println!("\nThe three stages ran at the same time, on smol's threads:\n");
    print!("{}", timeline.render());
    Ok(())
}
