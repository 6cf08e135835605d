//! alternative: echo_clients spawns the echoes from inside the executor and
//! sums the Tasks with a stream fold; read_exact_async uses a growing Vec
//! with `take`-style limits.
// ANCHOR: learn-echo_clients
    let ex = LocalExecutor::new();
    ex.run(async {
        let mut tasks = Vec::new();
        while tasks.len() < clients {
            let (stream, _) = listener.accept().await?;
            tasks.push(ex.spawn(async move { echo(stream).await }));
        }
        futures_lite::stream::iter(tasks)
            .then(|t| t)
            .try_fold(0u64, |sum, n| Ok(sum + n))
            .await
    })
    .await
// ANCHOR_END: learn-echo_clients
// ANCHOR: learn-read_exact_async
    let mut out = Vec::with_capacity(n);
    let mut buf = [0u8; 3];
    while out.len() < n {
        let want = (n - out.len()).min(buf.len());
        let got = stream.read_with(|s| (&*s).read(&mut buf[..want])).await?;
        if got == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        out.extend_from_slice(&buf[..got]);
    }
    Ok(out)
// ANCHOR_END: learn-read_exact_async
// ANCHOR: learn-@top
use futures_lite::StreamExt;
// ANCHOR_END: learn-@top
