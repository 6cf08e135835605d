//! wrong: writes each reply with one `write` and ignores the count it
//! returns: on a full socket buffer the rest of the reply is lost.
//! message: one `write` takes only part of the bytes
// ANCHOR: learn-handle_client-write
/// The writing half: sends queued replies until the reader drops its sender.
async fn write_replies(mut stream: TcpStream, rx: Receiver<Vec<u8>>, idle: Duration) -> Result<()> {
    while let Ok(reply) = rx.recv().await {
        match with_idle_timeout(idle, stream.write(&reply)).await {
            Err(Idle) => return Err(SlowReader.into()),
            Ok(res) => {
                res.context("writing a reply")?;
            }
        }
    }
    stream.flush().await.context("flushing the last replies")?;
    Ok(())
}
// ANCHOR_END: learn-handle_client-write
