//! Given code of the exercises: the bank accounts `transfer` moves money
//! between, and its error. The exercise and the solution re-export them.

use std::fmt;

use async_lock::MutexGuard;
use futures_lite::future;

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

/// Why the exercise `transfer` refused to move the money.
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
