//! wrong: the wait for the next request never looks at the shutdown signal:
//! at shutdown an idle client is not told and not closed.
//! message: the wait for the next request does not look at the shutdown
// ANCHOR: learn-handle_client-read
/// What [`handle_client`] waits for between two requests.
enum Next {
    Request,
    Closed,
    Shutdown,
}

/// The reading half: one request at a time, one reply queued per request.
async fn read_requests(
    mut reader: BufReader<TcpStream>,
    tx: Sender<Vec<u8>>,
    cfg: &Config,
    shutdown: &Shutdown,
) -> Result<End> {
    queue(&tx, GREETING, cfg).await?;
    loop {
        // Between requests: wait for the first byte of the next one,
        // under the idle timeout.
        let next = async {
            let buffered = reader.fill_buf().await.context("waiting for a request")?;
            Ok(if buffered.is_empty() {
                Next::Closed
            } else {
                Next::Request
            })
        };
        match with_idle_timeout(cfg.idle_timeout, next).await {
            Err(Idle) => {
                queue(&tx, IDLE, cfg).await?;
                return Ok(End::Idle);
            }
            Ok(Err(e)) => return Err(e),
            Ok(Ok(Next::Closed)) => return Ok(End::Eof),
            Ok(Ok(Next::Shutdown)) => {
                queue(&tx, SHUTTING_DOWN, cfg).await?;
                return Ok(End::Shutdown);
            }
            Ok(Ok(Next::Request)) => {}
        }
        // A request has begun: finish reading it even if the server is
        // shutting down (that is the "drain"), but not forever.
        let line = with_idle_timeout(
            cfg.idle_timeout,
            read_line_limited(&mut reader, cfg.max_line),
        )
        .await;
        let line = match line {
            Err(Idle) => {
                queue(&tx, IDLE, cfg).await?;
                return Ok(End::Idle);
            }
            Ok(line) => line.context("reading a request")?,
        };
        match line {
            Line::Eof => return Ok(End::Eof),
            Line::TooLong => {
                queue(&tx, &too_long(cfg.max_line), cfg).await?;
                return Ok(End::TooLong);
            }
            Line::Text(request) => match respond(&request) {
                Reply::Line(reply) => queue(&tx, &reply, cfg).await?,
                Reply::Close(reply) => {
                    queue(&tx, &reply, cfg).await?;
                    return Ok(End::Quit);
                }
            },
        }
    }
}

// ANCHOR_END: learn-handle_client-read
