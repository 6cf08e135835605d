//! Why poll takes Pin<&mut Self>: a value that points into itself breaks
//! when it moves; pinned, it cannot move.
//! cargo run -p lesson05-futures-by-hand --example self_ref
use std::marker::PhantomPinned;
use std::pin::Pin;

// ANCHOR: async_block
async fn uses_a_borrow() -> usize {
    let buf = [7u8; 1024];
    let r = &buf; // a reference into the future's own state
    futures_lite::future::yield_now().await; // Pending: return here...
    r.len() // ...and carry on from this line when polled again
}
// ANCHOR_END: async_block

// ANCHOR: self_ref
/// A buffer and a pointer to its own first byte, the way an async block
/// that holds `let r = &buf;` across an `.await` keeps both in its state.
struct SelfRef {
    buf: [u8; 4],
    /// Meant to point at `self.buf`.
    first: *const u8,
    _pin: PhantomPinned, // "do not move me once I am set up"
}

impl SelfRef {
    fn new() -> SelfRef {
        SelfRef {
            buf: *b"ok!!",
            first: std::ptr::null(),
            _pin: PhantomPinned,
        }
    }

    /// Ties the pointer to where the value is now.
    fn set_up(&mut self) {
        self.first = self.buf.as_ptr();
    }

    fn points_into_itself(&self) -> bool {
        std::ptr::eq(self.first, self.buf.as_ptr())
    }
}
// ANCHOR_END: self_ref

fn main() {
    // ANCHOR: main
    let mut a = SelfRef::new();
    a.set_up();
    println!("a, set up:            {}", a.points_into_itself());
    let b = Box::new(a); // a move: the bytes are copied to the heap
    println!("b, moved into a Box:  {}", b.points_into_itself());
    // b.first still names a's old place: reading through it would read
    // memory that no longer belongs to anyone.

    // Pinned on the heap: the value gets its place once and keeps it.
    let mut p: Pin<Box<SelfRef>> = Box::pin(SelfRef::new());
    // SAFETY: set_up does not move the value out of its place.
    unsafe { p.as_mut().get_unchecked_mut() }.set_up();
    println!("p, pinned, set up:    {}", p.points_into_itself());
    let q = p; // moves the Box (a pointer), not the value inside it
    println!("q, after `let q = p`: {}", q.points_into_itself());
    // let moved: SelfRef = *q; // error[E0507]: cannot move out of a Pin
    // ANCHOR_END: main
    assert_eq!(futures_lite::future::block_on(uses_a_borrow()), 1024);
}
