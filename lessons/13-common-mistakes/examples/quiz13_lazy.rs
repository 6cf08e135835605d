//! Self-check for chapter 13: which lines print?
//!
//! Run it: cargo run -p lesson13-common-mistakes --example quiz13_lazy

async fn save(what: &str) {
    println!("saving {what}");
}

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        #[allow(clippy::let_underscore_future)]
        let _ = save("draft"); // no .await
        let later = save("copy");
        println!("before await");
        later.await;
        save("final").await;
    });
    // ANCHOR_END: quiz
}
