//! Graceful shutdown: stop accepting, let the clients already inside
//! finish, then return.
//! cargo run -p lesson08-web-server --example graceful
use std::io;
use std::time::Duration;

use async_channel::Receiver;
use futures_lite::future;
use lesson08_web_server::{Timeline, session, spawn_visitors};
use smol::Timer;
use smol::net::{TcpListener, TcpStream};

// ANCHOR: serve
/// Serves clients until a message arrives on `shutdown`, then drains.
async fn serve(
    listener: TcpListener,
    shutdown: Receiver<()>, // a message, or every sender dropped: stop
) -> io::Result<usize> {
    let mut sessions = Vec::new();
    loop {
        // Whichever comes first: the shutdown signal or the next client.
        let next = future::or(
            async {
                let _ = shutdown.recv().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = next else { break };
        let (stream, _peer) = accepted?;
        sessions.push(smol::spawn(session(stream)));
    }
    drop(listener); // closed: new clients are refused from now on
    let busy = sessions.iter().filter(|s| !s.is_finished()).count();
    println!(
        "server: shutdown! not accepting any more; \
         draining {busy} session(s)"
    );
    let served = sessions.len();
    for s in sessions {
        s.await?; // drain: every client already inside gets all its answers
    }
    println!("server: drained, returning");
    Ok(served)
}
// ANCHOR_END: serve

fn main() -> anyhow::Result<()> {
    let timeline = Timeline::new();
    smol::block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        // ANCHOR: main
        let (stop, stop_rx) = async_channel::bounded::<()>(1);
        let server = smol::spawn(serve(listener, stop_rx));
        let mut visitors = spawn_visitors(addr, &timeline);
        let ada = visitors.remove(0);
        for v in visitors {
            for line in v.await? {
                println!("{line}");
            }
        }
        println!("main: Bob and Cy are done, Ada is still typing: shut down");
        stop.send(()).await?;
        Timer::after(Duration::from_millis(20)).await;
        match TcpStream::connect(addr).await {
            Err(e) => println!("Dee (late) could not connect: {e}"),
            Ok(_) => println!("Dee (late) got in: the listener is still open!"),
        }
        for line in ada.await? {
            println!("{line}");
        }
        println!(
            "main: server returned after serving {} clients",
            server.await?
        );
        // ANCHOR_END: main
        anyhow::Ok(())
    })?;
    println!("\nAda was inside when the shutdown came: she still got every answer.\n");
    print!("{}", timeline.render());
    Ok(())
}
