//! Lesson 04 demos share this: a kitchen with a callback API that works on
//! background threads, and a small bridge from a callback to a future. The
//! exercises' kitchen API (a trait, [`given::Kitchen`]) is in [`given`].

use std::time::Duration;

pub use testkit::timeline::Timeline;

/// How long one kitchen step takes in the demos.
pub const STEP: Duration = Duration::from_millis(200);

pub mod given;
pub use given::{Callback, KitchenError, Reply};

/// A kitchen that takes orders and calls you back. Cheap to clone.
#[derive(Clone)]
pub struct Kitchen {
    timeline: Timeline,
    fail_at: Option<&'static str>,
}

impl Kitchen {
    /// A kitchen whose steps are drawn on `timeline`.
    pub fn new(timeline: &Timeline) -> Self {
        Kitchen {
            timeline: timeline.clone(),
            fail_at: None,
        }
    }

    /// The same kitchen, except that `step` always fails.
    pub fn failing_at(mut self, step: &'static str) -> Self {
        self.fail_at = Some(step);
        self
    }

    // ANCHOR: callback_api
    /// "onion" -> "chopped onion". Returns at once; `done` is called later,
    /// on a kitchen thread.
    pub fn chop(&self, ingredient: &str, done: impl FnOnce(Reply) + Send + 'static) {
        self.work("chop", ingredient, format!("chopped {ingredient}"), done);
    }

    /// "chopped onion" -> "fried chopped onion".
    pub fn cook(&self, chopped: &str, done: impl FnOnce(Reply) + Send + 'static) {
        self.work("cook", chopped, format!("fried {chopped}"), done);
    }

    /// "fried chopped onion" -> "plate of fried chopped onion".
    pub fn plate(&self, cooked: &str, done: impl FnOnce(Reply) + Send + 'static) {
        self.work("plate", cooked, format!("plate of {cooked}"), done);
    }
    // ANCHOR_END: callback_api

    // ANCHOR: work
    fn work(
        &self,
        step: &'static str,
        input: &str,
        output: String,
        done: impl FnOnce(Reply) + Send + 'static,
    ) {
        let timeline = self.timeline.clone();
        let fails = self.fail_at == Some(step);
        let lane = format!("{step} {input}");
        std::thread::Builder::new()
            .name(format!("kitchen-{step}"))
            .spawn(move || {
                let bar = timeline.span(&lane);
                std::thread::sleep(STEP); // a kitchen thread may block: it is its job
                drop(bar);
                if fails {
                    done(Err(KitchenError {
                        step,
                        reason: "something burnt".into(),
                    }))
                } else {
                    done(Ok(output))
                }
            })
            .expect("spawn a kitchen thread");
    }
    // ANCHOR_END: work
}

// ANCHOR: ask
/// Starts a callback-style operation and returns a future of the value it
/// hands to its callback. This one borrows a ready-made one-slot channel;
/// the exercise `callback_future` builds the same thing by hand.
pub async fn ask<T, S>(start: S) -> T
where
    T: Send + 'static,
    S: FnOnce(Box<dyn FnOnce(T) + Send>),
{
    let (tx, rx) = async_channel::bounded(1);
    start(Box::new(move |value| {
        let _ = tx.try_send(value);
    }));
    rx.recv()
        .await
        .expect("the callback was dropped without being called")
}
// ANCHOR_END: ask
