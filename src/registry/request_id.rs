//! The id of the Berth request a registry call is made for. It rides along
//! as `X-Request-Id`, so the registry's access log and Berth's log line of
//! the same request can be matched. A task-local, not a parameter: every
//! call site would otherwise have to thread it through.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `f` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

/// The current request id, if a caller set one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// `f` with the id current now, for a future that will run on another
/// task (`tokio::spawn` does not carry task-locals).
pub fn carry<F: Future>(f: F) -> impl Future<Output = F::Output> {
    let id = current();
    async move {
        match id {
            Some(id) => scope(id, f).await,
            None => f.await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_id_is_seen_inside_its_scope_and_carried_to_a_spawned_task() {
        assert_eq!(current(), None);
        let seen = scope("abc".into(), async {
            let inside = current();
            let spawned = tokio::spawn(carry(async { current() })).await.unwrap();
            let bare = tokio::spawn(async { current() }).await.unwrap();
            (inside, spawned, bare)
        })
        .await;
        assert_eq!(seen, (Some("abc".into()), Some("abc".into()), None));
    }
}
