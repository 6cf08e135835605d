//! Lazy futures vs eager work: an async fn does nothing until it is
//! polled; a function that starts the work itself does it at the call.
//! cargo run -p lesson04-callbacks-vs-futures --example lazy_vs_eager
use std::future::Future;

// ANCHOR: lazy
/// Lazy: calling it only builds a future. The body runs when it is polled.
async fn cook(dish: &str) -> String {
    println!("   cook: cooking {dish}");
    format!("cooked {dish}")
}
// ANCHOR_END: lazy

// ANCHOR: eager
/// Eager: the work starts at the call, on a kitchen thread, before anyone
/// polls the future it returns (like a JavaScript promise).
fn cook_now(dish: &'static str) -> impl Future<Output = String> {
    println!("   cook_now: cooking {dish}");
    let (tx, rx) = async_channel::bounded(1);
    std::thread::spawn(move || tx.send_blocking(format!("cooked {dish}")));
    async move { rx.recv().await.expect("the kitchen thread hung up") }
}
// ANCHOR_END: eager

fn main() {
    // ANCHOR: main
    println!("1. calling cook(\"soup\")");
    let soup = cook("soup");
    println!("2. calling cook_now(\"stew\")");
    let stew = cook_now("stew");
    println!("3. dropping both futures unpolled");
    drop((soup, stew));
    println!("   the soup was never cooked; the stew was, for nobody");
    println!("4. awaiting a new cook(\"soup\")");
    let soup = smol::block_on(cook("soup"));
    println!("   got {soup:?}");
    // ANCHOR_END: main
}
