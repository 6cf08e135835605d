//! wrong: handle_connection answers right after the request line, without
//! reading the headers up to the empty line.
//! message: answered before
// ANCHOR: learn-handle_connection
    // The reader and the writer are two handles to the same socket.
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;

    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(()); // connected and left without a word
    }
    let mut parsed = parse_request_line(line.trim_end_matches(['\r', '\n']));

    // The request line says it all; the headers are not needed.
    #[allow(clippy::never_loop)]
    loop {
        break;
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            parsed = Parsed::Malformed; // the client hung up mid-request
            break;
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        match (header.split_once(':'), &mut parsed) {
            (Some((name, value)), Parsed::Get(req)) => req
                .headers
                .push((name.trim().to_string(), value.trim().to_string())),
            (Some(_), _) => {}
            (None, _) => parsed = Parsed::Malformed,
        }
    }

    let request = match parsed {
        Parsed::Get(request) => request,
        Parsed::NotGet => {
            let r = Response::new(405, "only GET is served here\n");
            return write_response(&mut writer, &r).await;
        }
        Parsed::Malformed => {
            let r = Response::new(400, "malformed request\n");
            return write_response(&mut writer, &r).await;
        }
    };

    match handler(request).await {
        Ok(response) => write_response(&mut writer, &response).await,
        Err(e) => {
            // Tell the client, then pass the original error on to the server.
            let r = Response::new(500, "internal server error\n");
            let _ = write_response(&mut writer, &r).await;
            Err(e)
        }
    }
// ANCHOR_END: learn-handle_connection
