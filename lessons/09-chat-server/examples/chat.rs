//! Three clients chat through the server; one of them vanishes mid-chat.
//! cargo run -p lesson09-chat-server --example chat
use std::sync::Arc;
use std::time::Duration;

use lesson09_chat_server::{Client, Policy, Stats, start_server};

const PATIENCE: Duration = Duration::from_millis(500);

fn main() -> std::io::Result<()> {
    smol::block_on(async {
        let (addr, _server) = start_server(Policy::TrySend, Arc::new(Stats::default())).await;
        println!("chat server on {addr}\n");
        // ANCHOR: main
        let mut ann = Client::join(addr, "ann").await?;
        let mut bob = Client::join(addr, "bob").await?;
        ann.hear(PATIENCE).await; // "* bob joined": bob is in the map now
        let mut cy = Client::join(addr, "cy").await?;
        ann.hear(PATIENCE).await; // "* cy joined"
        bob.hear(PATIENCE).await; // "* cy joined"

        ann.say("hello, both of you").await?;
        bob.say("hi ann!").await?;
        cy.hear(PATIENCE).await; // "ann: hello, both of you"
        cy.hear(PATIENCE).await; // "bob: hi ann!"
        cy.say("gotta run").await?;
        drop(cy); // no goodbye: the connection just closes
        // ANCHOR_END: main

        // What everybody still connected heard, in order.
        for who in [&mut ann, &mut bob] {
            println!("{} heard:", who.name);
            while let Some(line) = who.hear(PATIENCE).await {
                println!("    {line}");
            }
        }
        println!(
            "\nNobody hears their own lines, everybody hears the others in order,\n\
             and cy's abrupt exit became `* cy left` all the same."
        );
        Ok(())
    })
}
