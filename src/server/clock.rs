//! The wall clock, in the Unix seconds the pages compute ages from.

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
