//! wrong: reports the unreadable file, but as a new error built from the
//! old one's text: the io::Error is no longer its cause, and the path is
//! not named.
//! message: it does not name the file
// ANCHOR: learn-swallowed_error-read
    let text = match smol::fs::read_to_string(path).await {
        Ok(text) => text,
        Err(e) => bail!("cannot read the config: {e}"),
    };
// ANCHOR_END: learn-swallowed_error-read
