//! Self-check for chapter 08: what does the shutdown receiver see?
//!
//! Run it: cargo run -p lesson08-web-server --example quiz08_shutdown

fn main() {
    // ANCHOR: quiz
    smol::block_on(async {
        let (stop, shutdown) = async_channel::bounded::<()>(1);
        let second = stop.clone();
        println!("try_recv: {:?}", shutdown.try_recv());
        drop(stop);
        println!("after one drop: {:?}", shutdown.try_recv());
        drop(second);
        println!("after both: {:?}", shutdown.recv().await);
    });
    // ANCHOR_END: quiz
}
