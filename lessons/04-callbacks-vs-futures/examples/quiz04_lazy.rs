//! Self-check for chapter 04: futures are lazy. In what order do the lines
//! print?
//!
//! Run it: cargo run -p lesson04-callbacks-vs-futures --example quiz04_lazy

// ANCHOR: quiz
async fn greet(name: &str) {
    println!("hello from {name}");
}

fn main() {
    let a = greet("A");
    println!("made A");
    let b = greet("B");
    println!("made B");
    smol::block_on(b);
    smol::block_on(a);
    let c = greet("C");
    drop(c);
    println!("dropped C");
}
// ANCHOR_END: quiz
