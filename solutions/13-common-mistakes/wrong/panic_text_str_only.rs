//! wrong: panic_text only knows `&str` payloads; a formatted panic
//! (`panic!("{x}")`) carries a String.
//! message: panic!("disk {} failed", 3) a String
//! message: panic_text() does not read String payloads
// ANCHOR: learn-lost_panic-text
    match payload.downcast_ref::<&str>() {
        Some(text) => text.to_string(),
        None => "a panic without a message".to_string(),
    }
// ANCHOR_END: learn-lost_panic-text
