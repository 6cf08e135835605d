//! wrong: echo_clients echoes each client to the end before it accepts the
//! next one.
//! message: finished one client before it accepted the next
// ANCHOR: learn-echo_clients
    let mut total = 0;
    for _ in 0..clients {
        let (stream, _) = listener.accept().await?;
        total += echo(stream).await?;
    }
    Ok(total)
// ANCHOR_END: learn-echo_clients
