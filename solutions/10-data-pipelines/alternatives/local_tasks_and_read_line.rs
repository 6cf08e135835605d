//! alternative: the pipeline's stages as tasks of a LocalExecutor (they may
//! borrow, and need not be Send); write_lines with a hand-made buffer instead
//! of BufWriter; save_lines through async_fs::OpenOptions; count_words with
//! read_line into one reused String.
// ANCHOR: learn-pipeline
    let (tx1, rx1) = bounded::<I>(capacity);
    let (tx2, rx2) = bounded::<O>(capacity);
    let ex = smol::LocalExecutor::new();
    let read = ex.spawn(async move {
        pin!(source);
        while let Some(item) = source.next().await {
            if tx1.send(item).await.is_err() {
                break;
            }
        }
    });
    let work = ex.spawn(async move {
        while let Ok(item) = rx1.recv().await {
            if tx2.send(transform(item)).await.is_err() {
                break;
            }
        }
    });
    let write = ex.spawn(async move {
        let mut written = 0;
        while let Ok(item) = rx2.recv().await {
            sink(item).await;
            written += 1;
        }
        written
    });
    ex.run(async {
        read.await;
        work.await;
        write.await
    })
    .await
// ANCHOR_END: learn-pipeline
// ANCHOR: learn-write_lines
    let mut out = out;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut count = 0;
    while let Ok(line) = lines.recv().await {
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        count += 1;
        if buf.len() >= 8 * 1024 {
            out.write_all(&buf).await?;
            buf.clear();
        }
    }
    out.write_all(&buf).await?;
    out.close().await?;
    Ok(count)
// ANCHOR_END: learn-write_lines
// ANCHOR: learn-write_lines-save
    let file = async_fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path.as_ref())
        .await?;
    write_lines(file, lines).await
// ANCHOR_END: learn-write_lines-save
// ANCHOR: learn-count_words
    let mut reader = BufReader::new(input);
    let mut line = String::new();
    let mut counts = Counts::default();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            break;
        }
        counts.lines += 1;
        counts.words += line.split_whitespace().count();
    }
    Ok(counts)
// ANCHOR_END: learn-count_words
