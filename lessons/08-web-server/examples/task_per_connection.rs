//! A server that spawns a task per connection: a slow client slows only
//! itself.
//! cargo run -p lesson08-web-server --example task_per_connection
use lesson08_web_server::{Timeline, VISITORS, session, spawn_visitors};
use smol::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let timeline = Timeline::new();
    smol::block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let visitors = spawn_visitors(listener.local_addr()?, &timeline);
        // ANCHOR: accept_loop
        let mut sessions = Vec::new();
        for _ in 0..VISITORS.len() {
            let (stream, peer) = listener.accept().await?;
            println!("accepted {peer}");
            // A task per connection; the loop goes straight back to accept().
            // Keep the Task: dropping it would cancel the session.
            sessions.push(smol::spawn(session(stream)));
        }
        for s in sessions {
            s.await?;
        }
        // ANCHOR_END: accept_loop
        for visitor in visitors {
            for line in visitor.await? {
                println!("{line}");
            }
        }
        anyhow::Ok(())
    })?;
    println!("\nA task per connection: Bob and Cy are served while Ada is still typing.\n");
    print!("{}", timeline.render());
    Ok(())
}
