//! A counting allocator for checks that promise bounded memory.
//!
//! It counts, per thread, the heap bytes the thread holds right now and the
//! most it held since a measurement started. A check that runs the learner's
//! future on one thread (as [`crate::Check::run`] does) thereby sees how
//! much that code kept in memory at once, without sampling RSS.
//!
//! A checks file installs it once:
//!
//! ```ignore
//! #[global_allocator]
//! static HEAP: testkit::heap::CountingAlloc = testkit::heap::CountingAlloc;
//! ```
//!
//! and measures with [`peak_from_now`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Forwards to the system allocator and counts per thread.
pub struct CountingAlloc;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// bookkeeping only touches const-initialised thread-locals (no allocation,
// no destructor).
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        note(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Starts measuring this thread's heap; the closure it returns gives the
/// most bytes that were live at once since then, above what the thread held
/// at the start. Counts only while [`CountingAlloc`] is the global
/// allocator (otherwise it always says 0).
pub fn peak_from_now() -> impl Fn() -> usize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    move || (PEAK.with(Cell::get) - base).max(0) as usize
}

/// Starts measuring this thread's heap; the closure it returns gives how
/// many bytes this thread holds now above what it held at the start (0 when
/// it holds less). For "how much does each idle client cost": measure,
/// connect N clients, read it, divide by N.
pub fn live_from_now() -> impl Fn() -> usize {
    let base = LIVE.with(Cell::get);
    move || (LIVE.with(Cell::get) - base).max(0) as usize
}
