//! A swallowed error, and the same error propagated with context.
//! cargo run -p lesson13-common-mistakes --example swallowed_error
use std::path::Path;

use anyhow::Context;

// ANCHOR: swallowed
/// Saves the state and says it did. Does it?
async fn save_state_quietly(path: &Path) {
    let _ = smol::fs::write(path, b"{\"visits\": 42}").await; // the mistake
    println!("state saved to {}", path.display());
}
// ANCHOR_END: swallowed

// ANCHOR: propagated
/// Saves the state, or says why it could not, and where.
async fn save_state(path: &Path) -> anyhow::Result<()> {
    let name = path.display();
    smol::fs::write(path, b"{\"visits\": 42}")
        .await
        .with_context(|| format!("cannot save the state to {name}"))?;
    println!("state saved to {}", path.display());
    Ok(())
}
// ANCHOR_END: propagated

fn main() {
    // A directory that does not exist: every write into it fails.
    let path = std::env::temp_dir()
        .join("lesson13-no-such-dir")
        .join("state.json");
    smol::block_on(async {
        println!("-- let _ = ...");
        save_state_quietly(&path).await;

        println!("\n-- ? with context");
        // ANCHOR: report
        if let Err(e) = save_state(&path).await {
            println!("Display, {{}}:    {e}");
            println!("alternate, {{:#}}: {e:#}");
            // `{e:?}` (what `main` prints when it returns this Err) lists
            // the same chain under "Caused by:".
            for (i, cause) in e.chain().enumerate() {
                println!("chain[{i}]: {cause}");
            }
            let cause = e.root_cause().downcast_ref::<std::io::Error>();
            println!(
                "\nroot cause, as an io::Error: {:?}",
                cause.map(|io| io.kind())
            );
        }
        // ANCHOR_END: report
    });
}
