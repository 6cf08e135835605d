//! wrong: count_words loops on `while let Some(Ok(line))`, which treats the
//! first read error as the end of the input.
//! message: as if the input had simply ended
// ANCHOR: learn-count_words
    let mut lines = BufReader::new(input).lines();
    let mut counts = Counts::default();
    while let Some(Ok(line)) = lines.next().await {
        counts.lines += 1;
        counts.words += line.split_whitespace().count();
    }
    Ok(counts)
// ANCHOR_END: learn-count_words
