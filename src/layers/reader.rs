//! Who a layer is read for, so slots can be counted per user. A
//! task-local, as the request id is: every call site would otherwise have
//! to thread it through the pages' code.

use std::future::Future;

tokio::task_local! {
    static READER: String;
}

/// Runs `f` with `user` as the one reading layers.
pub async fn scope<F: Future>(user: String, f: F) -> F::Output {
    READER.scope(user, f).await
}

/// The user reading, or `""` outside any scope (counted as one user).
pub fn current() -> String {
    READER.try_with(Clone::clone).unwrap_or_default()
}
