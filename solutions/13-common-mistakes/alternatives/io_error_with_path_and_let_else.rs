//! alternative: load_config wraps the io::Error by hand
//! (anyhow::Error::new(e).context(..)) and parses both numbers through one
//! helper that names the line.
// ANCHOR: learn-swallowed_error-read
    let text = match smol::fs::read_to_string(path).await {
        Ok(text) => text,
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("cannot read config file {}", path.display())));
        }
    };
// ANCHOR_END: learn-swallowed_error-read
// ANCHOR: learn-swallowed_error-keys
            "port" => config.port = number(n, key, value)?,
            "workers" => config.workers = number(n, key, value)?,
            other => bail!("line {n}: unknown key {other:?}"),
// ANCHOR_END: learn-swallowed_error-keys
// ANCHOR: learn-@top
fn number<N>(line: usize, key: &str, value: &str) -> anyhow::Result<N>
where
    N: std::str::FromStr<Err = std::num::ParseIntError>,
{
    value
        .parse()
        .with_context(|| format!("line {line}: {key} {value:?} is not a number"))
}
// ANCHOR_END: learn-@top
