//! alternative: `handle_client` as one loop that writes each reply itself
//! (under the idle timeout) before it reads the next request: no queue and
//! no second half. While a reply waits to be written, no request is read:
//! the same back-pressure, with a queue of zero.
// ANCHOR: learn-handle_client
    let peer = stream.peer_addr().context("reading the client's address")?;
    let mut writer = stream.clone();
    let mut reader = BufReader::with_capacity(256, stream);
    let idle = cfg.idle_timeout;
    let result: Result<End> = async {
        say(&mut writer, GREETING, idle).await?;
        loop {
            let next = future::or(
                async {
                    let buffered = reader.fill_buf().await?;
                    Ok::<_, std::io::Error>(Some(!buffered.is_empty()))
                },
                async {
                    shutdown.wait().await;
                    Ok(None)
                },
            );
            match with_idle_timeout(idle, next).await {
                Err(Idle) => {
                    say(&mut writer, IDLE, idle).await?;
                    return Ok(End::Idle);
                }
                Ok(got) => match got.context("waiting for a request")? {
                    None => {
                        say(&mut writer, SHUTTING_DOWN, idle).await?;
                        return Ok(End::Shutdown);
                    }
                    Some(false) => return Ok(End::Eof),
                    Some(true) => {}
                },
            }
            let line = match with_idle_timeout(idle, read_line_limited(&mut reader, cfg.max_line))
                .await
            {
                Err(Idle) => {
                    say(&mut writer, IDLE, idle).await?;
                    return Ok(End::Idle);
                }
                Ok(line) => line.context("reading a request")?,
            };
            match line {
                Line::Eof => return Ok(End::Eof),
                Line::TooLong => {
                    say(&mut writer, &too_long(cfg.max_line), idle).await?;
                    return Ok(End::TooLong);
                }
                Line::Text(request) => match respond(&request) {
                    Reply::Line(reply) => say(&mut writer, &reply, idle).await?,
                    Reply::Close(reply) => {
                        say(&mut writer, &reply, idle).await?;
                        return Ok(End::Quit);
                    }
                },
            }
        }
    }
    .await;
    match result {
        Err(e) if e.is::<SlowReader>() => Ok(End::SlowReader),
        Err(e) => Err(e.context(format!("serving {peer}"))),
        ok => ok,
    }
// ANCHOR_END: learn-handle_client
// ANCHOR: learn-handle_client-read
/// Writes one line in full, or gives up on a client that does not read.
async fn say(w: &mut TcpStream, line: &str, idle: Duration) -> Result<()> {
    let bytes = format!("{line}\n");
    match with_idle_timeout(idle, w.write_all(bytes.as_bytes())).await {
        Err(Idle) => Err(SlowReader.into()),
        Ok(res) => res.context("writing a reply"),
    }
}
// ANCHOR_END: learn-handle_client-read
// ANCHOR: learn-handle_client-queue
// ANCHOR_END: learn-handle_client-queue
// ANCHOR: learn-handle_client-write
// ANCHOR_END: learn-handle_client-write
