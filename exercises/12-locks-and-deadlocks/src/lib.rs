//! Lesson 12 — locks and deadlocks.
//!
//! Four exercises, each a spec: what must hold, not how. Replace each
//! `todo!()` and run `cargo test` in this folder. Read
//! book/src/12-locks-and-deadlocks.md first; `cargo workshop hint 12`
//! gives one hint at a time when you are stuck.
#![allow(unused_variables, unused_imports, dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use async_channel::{Receiver, Sender};
use async_lock::RwLock;
use futures_lite::future;

// ------------------------------------------------------------------- visit

/// Exercise `visit`: counts one visit of `page` in `counts` (a page not
/// seen before starts at 0), then awaits the `log` callback once, with the page's new
/// count `n`, and returns that same `n`.
///
/// Spec:
/// * `counts` is a *std* mutex shared by every request handler, and it
///   stays a std mutex.
/// * Many visits of one page run at once on one thread: each gets its own
///   count (1, 2, 3, ... one each), and logs the number it returns.
/// * While one visit waits for its log write, the other visits keep
///   counting: the checks hold three log writes at a gate that opens only
///   when all three are in progress at once.
///
/// Read: "Demo: a std guard across `.await`" and "Exercise: visit".
pub async fn visit<F, Fut>(counts: &Mutex<HashMap<String, u64>>, page: &str, log: F) -> u64
where
    F: FnOnce(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    todo!()
}

// ---------------------------------------------------------------- transfer

// GIVEN: the accounts and the transfer's error, from the lesson crate
// (lessons/12-locks-and-deadlocks/src/given.rs).
pub use lesson12_locks_and_deadlocks::{Account, TransferError};

/// Exercise `transfer`: moves `amount` from `from` to `to`.
///
/// Spec:
/// * Atomic: both accounts are locked (with [`Account::lock`]) while the
///   money is checked and moved, so an auditor that locks both never sees
///   money missing or doubled.
/// * `from` may be emptied completely; asking for more than its balance is
///   `Err(TransferError::Insufficient { balance, amount })` and changes
///   nothing. `from` and `to` being the same account is
///   `Err(TransferError::SameAccount)`.
/// * Transfers run at the same time in every direction: two in opposite
///   directions, a ring of three, auditors in between, started in every
///   order. None of them may ever deadlock. The auditors lock both
///   accounts too, the account with the lower id first.
///
/// The checks drive one thread turn by turn, and when nothing can run any
/// more they name the transfers that are stuck. Read: "Demo: two locks, two
/// orders" and "Exercise: transfer".
pub async fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), TransferError> {
    todo!()
}

// ---------------------------------------------------------------- exchange

/// Exercise `exchange`: one side of a conversation over two bounded
/// channels. Sends every item of `outgoing` over `tx`, in order, and closes
/// `tx` when they are all sent; meanwhile receives from `rx` until the peer
/// closes its side. Returns everything received, in order.
///
/// Spec:
/// * Both channels may be full at the same time, and the peer may send
///   everything before it receives anything: the conversation must still
///   finish, nothing lost, nothing reordered.
/// * A peer with nothing to say, or one that has already hung up, ends the
///   conversation quietly (no panic, no hang).
///
/// Read: "Demo: a cycle of full channels" and "Exercise: exchange".
pub async fn exchange(outgoing: Vec<u32>, tx: Sender<u32>, rx: Receiver<u32>) -> Vec<u32> {
    todo!()
}

// ------------------------------------------------------------------- cache

/// A cache of rendered pages, shared by many request handlers: many read
/// it at once, now and then one refreshes an entry.
pub struct Cache {
    entries: RwLock<HashMap<String, String>>,
}

impl Default for Cache {
    fn default() -> Self {
        Self::new()
    }
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Cache {
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// A cache that starts with these entries.
    pub fn with_entries<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let map = entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Cache {
            entries: RwLock::new(map),
        }
    }

    /// Exercise `cache` (1 of 2): `Some` of what `f` gives (awaited) for the value of
    /// `key`, or `None` without calling `f` when the key is missing.
    ///
    /// Spec: any number of views run their `f` at the same time (the checks
    /// hold four at a gate that opens only when all four are inside), and
    /// no update changes the entry while a view's `f` runs. Read: "Demo:
    /// readers, writers and permits" and "Exercise: cache".
    pub async fn view<R>(&self, key: &str, f: impl AsyncFnOnce(&str) -> R) -> Option<R> {
        todo!()
    }

    /// Exercise `cache` (2 of 2): replaces the value of `key` with
    /// what `f` gives for the old value, awaited (`None` when the key is missing).
    ///
    /// Spec: updates run one at a time and none is lost (five updates that
    /// each add 1 leave 5, even when every `f` pauses halfway), and no view
    /// runs while an update's `f` runs.
    pub async fn update(&self, key: &str, f: impl AsyncFnOnce(Option<&str>) -> String) {
        todo!()
    }
}
