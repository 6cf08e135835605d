//! Self-check for chapter 09: what does each try_send return?
//!
//! Run it: cargo run -p lesson09-chat-server --example quiz09_try_send

fn main() {
    // ANCHOR: quiz
    let (outbox, queue) = async_channel::bounded::<&str>(2);
    println!("{:?}", outbox.try_send("hi"));
    println!("{:?}", outbox.try_send("how are you?"));
    println!("{:?}", outbox.try_send("hello??"));
    println!("queued: {:?}", queue.try_recv());
    drop(queue); // the client's writer has stopped
    println!("{:?}", outbox.try_send("bye"));
    // ANCHOR_END: quiz
}
