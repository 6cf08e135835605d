//! An async fn that never waits for anything: all cost, no benefit.
//! cargo run -p lesson13-common-mistakes --example needless_async

// ANCHOR: async_version
/// Async for no reason: nothing in here ever waits.
async fn parse_header_async(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
}
// ANCHOR_END: async_version

// ANCHOR: plain_version
/// The same work as a plain function.
fn parse_header(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
}
// ANCHOR_END: plain_version

fn main() {
    // ANCHOR: calls
    let line = "Host: example.com";
    let fut = parse_header_async(line); // nothing has run yet
    println!(
        "the async fn gave back a {} of {} bytes, not a header",
        std::any::type_name_of_val(&fut),
        std::mem::size_of_val(&fut)
    );
    println!(
        "a plain caller needs an executor: {:?}",
        smol::block_on(fut)
    );
    println!("the plain fn just answers:        {:?}", parse_header(line));
    smol::block_on(async {
        // and async code calls a plain fn like any other code does
        println!("from async code, no .await:       {:?}", parse_header(line));
    });
    // ANCHOR_END: calls
}
