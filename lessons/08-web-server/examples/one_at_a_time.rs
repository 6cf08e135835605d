//! A server that serves one connection at a time: everybody waits for the
//! slowest client.
//! cargo run -p lesson08-web-server --example one_at_a_time
use lesson08_web_server::{Timeline, VISITORS, session, spawn_visitors};
use smol::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let timeline = Timeline::new();
    smol::block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let visitors = spawn_visitors(listener.local_addr()?, &timeline);
        // ANCHOR: accept_loop
        for _ in 0..VISITORS.len() {
            let (stream, peer) = listener.accept().await?;
            println!("accepted {peer}");
            // Awaiting the session right here: the loop cannot accept anyone
            // else until this client says BYE.
            session(stream).await?;
        }
        // ANCHOR_END: accept_loop
        for visitor in visitors {
            for line in visitor.await? {
                println!("{line}");
            }
        }
        anyhow::Ok(())
    })?;
    println!("\nOne connection at a time: Bob and Cy wait until slow Ada is done.\n");
    print!("{}", timeline.render());
    Ok(())
}
