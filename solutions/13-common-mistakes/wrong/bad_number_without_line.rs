//! wrong: passes a bad number on with `?`, but without saying which line it
//! was on.
//! message: but it does not say which line
// ANCHOR: learn-swallowed_error-keys
            "port" => config.port = value.parse()?,
            "workers" => config.workers = value.parse()?,
            other => bail!("line {n}: unknown key {other:?}"),
// ANCHOR_END: learn-swallowed_error-keys
