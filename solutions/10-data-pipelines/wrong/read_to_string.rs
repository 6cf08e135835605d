//! wrong: count_words reads the whole input into a String first, so memory
//! grows with the input.
//! message: it kept (most of) the input in memory
// ANCHOR: learn-count_words
    let mut input = input;
    let mut text = String::new();
    futures_lite::io::AsyncReadExt::read_to_string(&mut input, &mut text).await?;
    Ok(Counts {
        lines: text.lines().count(),
        words: text.split_whitespace().count(),
    })
// ANCHOR_END: learn-count_words
