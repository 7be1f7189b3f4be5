//! Prometheus metrics (`metrics` + `metrics-exporter-prometheus`) at
//! `/metrics`: HTTP requests by route and status, registry calls by kind
//! and status (`registry::call_metrics`), cache lookups and bytes, logins,
//! deletes, registry events and active sessions. Counters live where things
//! happen; gauges that are cheaper to read than to keep (cache bytes,
//! sessions) are read when scraped.
//!
//! One recorder per process: several Berths in one test process share it,
//! so tests read differences, never absolute numbers.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;
use crate::registry::{call_metrics, content_cache};

pub const HTTP_REQUESTS: &str = "berth_http_requests_total";
pub const HTTP_SECONDS: &str = "berth_http_request_duration_seconds";
pub const LOGINS: &str = "berth_logins_total";
pub const LOGOUTS: &str = "berth_logouts_total";
pub const CHANGES: &str = "berth_changes_total";
pub const EVENTS_RECEIVED: &str = "berth_registry_events_received_total";
pub const EVENTS_IGNORED: &str = "berth_registry_events_ignored_total";
const CACHE_BYTES: &str = "berth_cache_bytes";
const SESSIONS: &str = "berth_sessions_active";
const INDEX_ITEMS: &str = "berth_index_items";
const INDEX_BLOB_BYTES: &str = "berth_index_blob_bytes";
const INDEX_SYNC_RUNNING: &str = "berth_index_sync_running";
const INDEX_LAST_SYNC: &str = "berth_index_last_sync_timestamp_seconds";
const INDEX_LAST_SYNC_SECONDS: &str = "berth_index_last_sync_duration_seconds";
const INDEX_LAST_SYNC_REQUESTS: &str = "berth_index_last_sync_requests";

/// Upper bounds of the latency buckets, in seconds: a warm page is a few
/// milliseconds, a cold 2,000-tag walk several seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics stays empty");
        }
        describe();
        handle
    })
}

/// Installs the recorder and keeps its histograms drained between scrapes.
pub fn start() {
    static UPKEEP: OnceLock<()> = OnceLock::new();
    UPKEEP.get_or_init(|| {
        let handle = handle();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                handle.run_upkeep();
            }
        });
    });
}

/// HELP text for every metric: Prometheus' linter wants it, and an operator
/// reading the raw page does too.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by route, method and status."
    );
    describe_histogram!(
        HTTP_SECONDS,
        Unit::Seconds,
        "Time to answer an HTTP request (to its head), by route."
    );
    describe_counter!(
        call_metrics::CALLS,
        "Requests to the registry and its token server, by kind and status (error: no answer)."
    );
    describe_histogram!(
        call_metrics::SECONDS,
        Unit::Seconds,
        "Time to the registry's answer head, by kind."
    );
    describe_counter!(
        content_cache::CACHE_LOOKUPS,
        "Lookups in Berth's caches, by cache and result (hit or miss)."
    );
    describe_gauge!(CACHE_BYTES, Unit::Bytes, "Bytes Berth's caches hold, by cache (content: manifests and configs; lists: catalogs and tag lists).");
    describe_counter!(LOGINS, "Login attempts, by result.");
    describe_counter!(LOGOUTS, "Logouts, by result.");
    describe_counter!(CHANGES, "Deletes and tag removals, by action and result.");
    describe_counter!(
        EVENTS_RECEIVED,
        "Registry notification events handled, by action."
    );
    describe_counter!(
        EVENTS_IGNORED,
        "Registry notification events ignored, by reason."
    );
    describe_gauge!(
        SESSIONS,
        "Login sessions in the database that have not expired."
    );
    describe_gauge!(
        INDEX_ITEMS,
        "What the registry index holds, by kind (repositories, tags, manifests, blobs)."
    );
    describe_gauge!(
        INDEX_BLOB_BYTES,
        Unit::Bytes,
        "Bytes of the distinct config and layer blobs the index knows."
    );
    describe_gauge!(INDEX_SYNC_RUNNING, "1 while a full index sync runs.");
    describe_gauge!(
        INDEX_LAST_SYNC,
        "When the last full index sync started (Unix seconds); failed ones included."
    );
    describe_gauge!(
        INDEX_LAST_SYNC_SECONDS,
        Unit::Seconds,
        "How long the last full index sync took."
    );
    describe_gauge!(
        INDEX_LAST_SYNC_REQUESTS,
        "Registry requests the last full index sync made."
    );
}

/// The index's gauges, read from the database at scrape time.
async fn index_gauges(state: &AppState) {
    let db = state.database();
    metrics::gauge!(INDEX_SYNC_RUNNING).set(f64::from(u8::from(
        state.indexer().progress().snapshot().running,
    )));
    match db.index_counts().await {
        Ok(c) => {
            for (kind, n) in [
                ("repositories", c.repositories),
                ("tags", c.tags),
                ("manifests", c.manifests),
                ("blobs", c.blobs),
            ] {
                metrics::gauge!(INDEX_ITEMS, "kind" => kind).set(n as f64);
            }
            metrics::gauge!(INDEX_BLOB_BYTES).set(c.blob_bytes as f64);
        }
        Err(e) => tracing::warn!(error = %e, "could not count the index for /metrics"),
    }
    if let Ok(Some(last)) = db.index_recent_syncs(1).await.map(|v| v.into_iter().next()) {
        metrics::gauge!(INDEX_LAST_SYNC).set(last.started_ms as f64 / 1000.0);
        metrics::gauge!(INDEX_LAST_SYNC_SECONDS)
            .set((last.finished_ms - last.started_ms) as f64 / 1000.0);
        metrics::gauge!(INDEX_LAST_SYNC_REQUESTS).set(last.requests as f64);
    }
}

/// Where the router notes which route a request matched, for `track`
/// outside it (a deadline's 504 replaces the inner response, so the note
/// cannot travel on the response).
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<String>>);

/// Inside the router, around each route: notes which route matched.
pub async fn note_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(route)) = (
        req.extensions().get::<RouteSlot>(),
        req.extensions().get::<MatchedPath>(),
    ) {
        let _ = slot.0.set(route.as_str().to_string());
    }
    next.run(req).await
}

/// Around everything: counts and times each request by its route pattern
/// (never the raw path, which would make a series per repository).
pub async fn track(mut req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    let started = Instant::now();
    let resp = next.run(req).await;
    let route = slot
        .0
        .get()
        .cloned()
        .unwrap_or_else(|| "unmatched".to_string());
    let status = resp.status().as_u16().to_string();
    metrics::histogram!(HTTP_SECONDS, "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "route" => route, "method" => method, "status" => status)
        .increment(1);
    resp
}

/// Methods beyond the usual ones fold into one label value.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::DELETE => "DELETE",
        Method::PUT => "PUT",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `GET /metrics`, behind `BERTH_METRICS_TOKEN`; open to anyone only with
/// `BERTH_METRICS_OPEN=true`, since the index's counts describe the whole
/// registry, more than a viewer may see.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let settings = state.settings();
    if settings.metrics_token.is_none() && !settings.metrics_open {
        return (
            StatusCode::NOT_FOUND,
            "Metrics are off: set BERTH_METRICS_TOKEN (or BERTH_METRICS_OPEN=true to serve them to anyone).",
        )
            .into_response();
    }
    if let Some(token) = settings.metrics_token.as_deref() {
        if !super::bearer::matches(&headers, token) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "Metrics need Authorization: Bearer <BERTH_METRICS_TOKEN>.",
            )
                .into_response();
        }
    }
    let content = state.registry().content_cache().bytes_held().await;
    metrics::gauge!(CACHE_BYTES, "cache" => "content").set(content as f64);
    let lists = state.lists().bytes_held().await;
    metrics::gauge!(CACHE_BYTES, "cache" => "lists").set(lists as f64);
    match state.database().active_sessions().await {
        Ok(n) => metrics::gauge!(SESSIONS).set(n as f64),
        Err(e) => tracing::warn!(error = %e, "could not count sessions for /metrics"),
    }
    index_gauges(&state).await;
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusual_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(
            method_label(&Method::from_bytes(b"PROPFIND").unwrap()),
            "other"
        );
    }
}
