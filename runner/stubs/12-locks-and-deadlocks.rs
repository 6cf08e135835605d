//! Lesson 12 — locks and deadlocks: std and async locks across `.await`,
//! lock ordering, channel cycles, and read-write locks.
//!
//! Replace each `todo!()` and run `cargo test` in this folder. The book
//! chapter is book/src/12-locks-and-deadlocks.md; `cargo workshop hint 12`
//! gives a hint when you are stuck.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;

use async_channel::{Receiver, Sender};
use async_lock::{MutexGuard, RwLock};
use futures_lite::future;

// ------------------------------------------------------------------- visit

/// Exercise `visit`: counts one visit of `page` in `counts`, then awaits
/// `log(n)` with the page's new count `n`, and returns `n`.
///
/// `counts` is a *std* mutex, shared by every request handler. Its guard
/// must be gone before the `.await`: a std guard that is still alive while
/// the task waits blocks every other task on the thread that wants the lock.
pub async fn visit<F, Fut>(counts: &Mutex<HashMap<String, u64>>, page: &str, log: F) -> u64
where
    F: FnOnce(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    // TODO: lock `counts` (counts.lock().unwrap()), add one to the entry for
    // `page` (counts.entry(page.to_string()).or_insert(0)) and remember the
    // new count `n`. Do that inside a block `let n = { ... };` so the guard
    // is dropped at its `}`. Only then `log(n).await`, and return `n`.
    // A std MutexGuard that is still alive at an .await blocks every other
    // task on this thread that asks for the lock (clippy: await_holding_lock).
    todo!()
}

// ---------------------------------------------------------------- transfer

/// A bank account: a unique id and a balance behind an async lock.
pub struct Account {
    id: u32,
    balance: async_lock::Mutex<u64>,
}

impl Account {
    /// A new account. Every account needs an id of its own.
    pub fn new(id: u32, balance: u64) -> Self {
        Account {
            id,
            balance: async_lock::Mutex::new(balance),
        }
    }

    /// The account's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Takes this account's lock and opens its ledger. Opening the ledger
    /// takes a moment, like a trip to a database: after it has the lock,
    /// `lock()` lets the other tasks run once (it yields) before it hands
    /// you the guard. The balance is unlocked when the guard is dropped.
    pub async fn lock(&self) -> MutexGuard<'_, u64> {
        let guard = self.balance.lock().await;
        future::yield_now().await;
        guard
    }

    /// The balance right now (takes the lock for a moment).
    pub async fn balance(&self) -> u64 {
        *self.lock().await
    }
}

/// Why [`transfer`] refused to move the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// `from` and `to` are the same account.
    SameAccount,
    /// `from` holds less than `amount`.
    Insufficient { balance: u64, amount: u64 },
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::SameAccount => f.write_str("cannot transfer to the same account"),
            TransferError::Insufficient { balance, amount } => {
                write!(f, "cannot transfer {amount}: the balance is only {balance}")
            }
        }
    }
}

impl std::error::Error for TransferError {}

/// Exercise `transfer`: moves `amount` from `from` to `to`, atomically:
/// both accounts stay locked while the money is checked and moved, so
/// nobody ever sees it missing. Two transfers in opposite directions (or
/// a ring of them) running at the same time must never deadlock.
pub async fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), TransferError> {
    // TODO: 1. If `from` and `to` are the same account (same id), return
    //    Err(TransferError::SameAccount): locking an account you already
    //    hold waits forever.
    // 2. Lock both accounts with Account::lock(..).await, the one with the
    //    LOWER id first, whichever way the money moves (one global order:
    //    never `from` first just because it is `from`).
    // 3. Holding both guards, return Err(TransferError::Insufficient {
    //    balance, amount }) if `from` holds less than `amount`; otherwise
    //    subtract from `from` and add to `to`, and return Ok(()).
    todo!()
}

// ---------------------------------------------------------------- exchange

/// Exercise `exchange`: one side of a conversation over two bounded
/// channels. Sends every item of `outgoing` over `tx`, in order, and closes
/// `tx` (drops it) when they are all sent; meanwhile receives from `rx`
/// until the peer closes its side. Returns everything received, in order.
///
/// Both channels may be full at the same time, and the peer may send
/// everything before it receives anything: this side must never stop
/// receiving while it waits to send.
pub async fn exchange(outgoing: Vec<u32>, tx: Sender<u32>, rx: Receiver<u32>) -> Vec<u32> {
    // TODO: build two futures and run them together with
    // `future::zip(send_all, receive_all).await`:
    // - send_all = `async move { ... }` sends each item with
    //   `tx.send(item).await` (stop at the first Err: the peer has gone).
    //   `async move` takes tx inside, so it is dropped, which closes the
    //   channel, as soon as the last item is sent.
    // - receive_all = `async { ... }` pushes every `rx.recv().await` into a
    //   Vec until recv() returns Err (the peer closed its side), and
    //   returns the Vec.
    // Return what receive_all received. Do not send everything before
    // receiving: when both channels are full, both sides wait forever.
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

    /// Exercise `cache`: runs `f` on the value of `key` *while holding the
    /// read lock* and returns its result, or `None` (without calling `f`)
    /// when the key is missing. Many views run at the same time; no update
    /// can change the entry while `f` runs.
    pub async fn view<R>(&self, key: &str, f: impl AsyncFnOnce(&str) -> R) -> Option<R> {
        // TODO: take the READ lock (`self.entries.read().await`), look `key`
        // up (return None if it is missing, without calling f), and return
        // `Some(f(value).await)` while the read guard is still alive.
        // Readers share a read lock: many views run at once.
        todo!()
    }

    /// Exercise `cache`: replaces the value of `key` with `f(old value)`
    /// (`None` when the key is missing). Holds the write lock from reading
    /// the old value until the new one is stored, so no reader and no other
    /// update runs in between, and no update is lost.
    pub async fn update(&self, key: &str, f: impl AsyncFnOnce(Option<&str>) -> String) {
        // TODO: take the WRITE lock (`self.entries.write().await`), call
        // `f(old)` with the old value (`entries.get(key).map(String::as_str)`),
        // await it, and insert the new value under `key`, all while holding
        // the same write guard: no reader and no other update may run in
        // between, or updates get lost.
        todo!()
    }
}
