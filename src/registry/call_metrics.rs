//! Counts and times every registry call by kind and status, for
//! `/metrics`. The kind comes from the URL's last segments: a repository
//! name may contain any word, but a digest or tag never contains `/`.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;

tokio::task_local! {
    /// Where a job that wants its own count of calls (the index sync)
    /// has them added.
    static TALLY: Arc<AtomicU64>;
}

/// Runs `f`, adding every registry call it makes (on its own task) to `tally`.
pub async fn tallied<F: Future>(tally: Arc<AtomicU64>, f: F) -> F::Output {
    TALLY.scope(tally, f).await
}

pub const CALLS: &str = "berth_registry_requests_total";
pub const SECONDS: &str = "berth_registry_request_duration_seconds";

/// What a registry URL asks for: catalog, tags, manifest, blob, delete,
/// referrers, ping, token or other.
pub fn kind(method: &Method, path: &str) -> &'static str {
    let segments: Vec<&str> = path.trim_end_matches('/').rsplit('/').take(2).collect();
    if path.ends_with("/v2/") || path == "/v2" {
        return "ping";
    }
    match segments.as_slice() {
        ["_catalog", "v2"] => "catalog",
        ["list", "tags"] => "tags",
        [_, "manifests"] if method == Method::DELETE => "delete",
        [_, "manifests"] => "manifest",
        [_, "blobs"] => "blob",
        [_, "referrers"] => "referrers",
        _ => "other",
    }
}

/// One finished call: `status` is `None` when no answer came.
pub fn record(kind: &'static str, status: Option<u16>, took: Duration) {
    let _ = TALLY.try_with(|t| t.fetch_add(1, Ordering::Relaxed));
    let status = status.map_or_else(|| "error".to_string(), |s| s.to_string());
    metrics::counter!(CALLS, "kind" => kind, "status" => status).increment(1);
    metrics::histogram!(SECONDS, "kind" => kind).record(took.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_last_segments() {
        let get = Method::GET;
        assert_eq!(kind(&get, "/v2/"), "ping");
        assert_eq!(kind(&get, "/prefix/v2/"), "ping");
        assert_eq!(kind(&get, "/v2/_catalog"), "catalog");
        assert_eq!(kind(&get, "/v2/team/app/tags/list"), "tags");
        assert_eq!(kind(&get, "/v2/a/manifests/b/manifests/v1"), "manifest");
        assert_eq!(
            kind(&Method::HEAD, "/v2/app/manifests/sha256:ab"),
            "manifest"
        );
        assert_eq!(
            kind(&Method::DELETE, "/v2/app/manifests/sha256:ab"),
            "delete"
        );
        assert_eq!(kind(&get, "/v2/tags/list/blobs/sha256:ab"), "blob");
        assert_eq!(kind(&get, "/v2/app/referrers/sha256:ab"), "referrers");
        assert_eq!(kind(&get, "/v2/_catalog/x"), "other");
    }
}
