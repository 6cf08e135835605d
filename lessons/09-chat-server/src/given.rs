//! Given code of lesson 09: the types and limits the exercises share. The
//! exercise and the solution re-export them; the demo server in this crate
//! uses them too.

use async_channel::Sender;

/// Every client gets a number from the accept loop.
pub type ClientId = u64;

/// How many lines may wait in one client's queue (its *outbox*) before the
/// broker drops new lines for that client.
pub const OUTBOX_CAPACITY: usize = 64;

/// How many events may wait in the broker's inbox. When it is full, the
/// readers wait: a client that floods the server slows down only itself.
pub const INBOX_CAPACITY: usize = 256;

// ANCHOR: event
/// What a connection tells the broker.
#[derive(Debug)]
pub enum Event {
    /// A client said its name. `outbox` is the sending half of the client's
    /// bounded queue; the client's writer task holds the receiving half.
    Join {
        id: ClientId,
        name: String,
        outbox: Sender<String>,
    },
    /// A client sent one line.
    Message { id: ClientId, line: String },
    /// A client is gone: it closed the connection, or reading from it failed.
    Leave { id: ClientId },
}
// ANCHOR_END: event

/// What the exercise `deliver` did with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The line is in the client's queue.
    Queued,
    /// The client's queue was full: this line was dropped for this client.
    Dropped,
    /// The client's writer is gone (its receiver was dropped); its Leave is
    /// on the way.
    Gone,
}
