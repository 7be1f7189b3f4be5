//! The wall clock, in the Unix seconds the pages compute ages from.

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The wall clock in Unix milliseconds, for records (audit, events).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
