//! alternative: handle_connection reads the request head as bytes with
//! read_until into one reused Vec; serve_n and serve detach their
//! connection tasks and collect each outcome through a channel, counting
//! how many answers are still owed instead of keeping the Tasks.
// ANCHOR: learn-handle_connection
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;
    let mut buf = Vec::new();

    // One line as text without its line ending; None at end of stream.
    async fn next_line<R: smol::io::AsyncBufRead + Unpin>(
        reader: &mut R,
        buf: &mut Vec<u8>,
    ) -> Result<Option<String>> {
        buf.clear();
        if reader.read_until(b'\n', buf).await? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(buf);
        Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
    }

    let Some(first) = next_line(&mut reader, &mut buf).await? else {
        return Ok(());
    };
    let mut parsed = parse_request_line(&first);
    loop {
        match next_line(&mut reader, &mut buf).await? {
            None => {
                parsed = Parsed::Malformed;
                break;
            }
            Some(header) if header.is_empty() => break,
            Some(header) => match (header.split_once(':'), &mut parsed) {
                (Some((name, value)), Parsed::Get(req)) => req
                    .headers
                    .push((name.trim().to_string(), value.trim().to_string())),
                (Some(_), _) => {}
                (None, _) => parsed = Parsed::Malformed,
            },
        }
    }

    let response = match parsed {
        Parsed::Get(request) => match handler(request).await {
            Ok(response) => response,
            Err(e) => {
                let r = Response::new(500, "internal server error\n");
                let _ = write_response(&mut writer, &r).await;
                return Err(e);
            }
        },
        Parsed::NotGet => Response::new(405, "only GET is served here\n"),
        Parsed::Malformed => Response::new(400, "malformed request\n"),
    };
    write_response(&mut writer, &response).await
// ANCHOR_END: learn-handle_connection
// ANCHOR: learn-serve_n
    let (done, outcomes) = async_channel::unbounded();
    let mut stats = Stats::default();
    for _ in 0..connections {
        let (stream, _peer) = listener.accept().await?;
        stats.accepted += 1;
        let (handler, done) = (handler.clone(), done.clone());
        smol::spawn(async move {
            let _ = done.send(handle_connection(stream, &handler).await).await;
        })
        .detach();
    }
    for _ in 0..stats.accepted {
        let outcome = outcomes.recv().await.expect("we hold a sender ourselves");
        stats.record(outcome);
    }
    Ok(stats)
// ANCHOR_END: learn-serve_n
// ANCHOR: learn-serve
    let (done, outcomes) = async_channel::unbounded::<Result<()>>();
    let mut stats = Stats::default();
    let mut owed = 0usize;
    loop {
        let next = future::or(
            async {
                let _ = shutdown.recv().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = next else { break };
        let (stream, _peer) = accepted?;
        stats.accepted += 1;
        owed += 1;
        let (handler, done) = (handler.clone(), done.clone());
        smol::spawn(async move {
            let _ = done.send(handle_connection(stream, &handler).await).await;
        })
        .detach();
        while let Ok(outcome) = outcomes.try_recv() {
            owed -= 1;
            stats.record(outcome);
        }
    }
    drop(listener);
    for _ in 0..owed {
        let outcome = outcomes.recv().await.expect("we hold a sender ourselves");
        stats.record(outcome);
    }
    Ok(stats)
// ANCHOR_END: learn-serve
