//! wrong: save_lines creates the file with std::fs (a blocking call on the
//! executor's thread) and only then hands it to async code.
//! message: blocked the executor's thread inside a std::fs call
// ANCHOR: learn-write_lines-save
    let file = std::fs::File::create(path.as_ref())?;
    write_lines(async_fs::File::from(file), lines).await
// ANCHOR_END: learn-write_lines-save
