//! wrong: runs each order to the end before starting the next one.
//! message: the orders were served one after another
// ANCHOR: learn-on_one_thread
    orders.iter().map(|&order| smol::block_on(serve(order))).collect()
// ANCHOR_END: learn-on_one_thread
