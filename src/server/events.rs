//! `POST /events`: the registry's notifications (`notifications.endpoints`
//! in its config). On only with `BERTH_EVENTS_TOKEN`; the registry sends it
//! as `Authorization: Bearer …`, checked in constant time. The answer (202)
//! goes out at once and the events are handled after it, so a slow database
//! never backs up the registry's queue.
//!
//! Events make Berth faster and richer, never required: the registry's
//! queue is in memory and best-effort, and lists still age out on their TTL.
//! - push: the repository's lists are dropped (on every replica), and the
//!   registry index describes the manifest and moves the tag (fetching the
//!   manifest and its config, so the first view is warm);
//! - delete: the lists are dropped, and the index drops the tags;
//! - pull: counted per tag and day (the tag list's pull columns).
//!
//! Pulls made by Berth's own requests are not counted, so browsing in Berth
//! is not a pull. They are known by Berth's `User-Agent`, which carries a
//! mark derived from the secret key: anyone can send `berth/…`, nobody
//! without the key can send the mark. Pushes and deletes are always
//! handled, whoever made them (Berth's own deletes change nothing twice).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::state::AppState;
use crate::model::ActivityRow;
use crate::registry::events::{is_envelope_type, parse_envelope, EventAction, ManifestEvent};
use crate::registry::{manifest, Reference};

/// Envelopes handled at once after their answer. Past this the registry is
/// asked to retry (503): its queue backs off, and Berth's memory stays bounded.
pub const MAX_ENVELOPES_IN_FLIGHT: usize = 64;

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(token) = state.settings().events_token.as_deref() else {
        return (
            StatusCode::NOT_FOUND,
            "Registry notifications are off: set BERTH_EVENTS_TOKEN.",
        )
            .into_response();
    };
    if !super::bearer::matches(&headers, token) {
        tracing::warn!("registry notification refused: wrong or missing bearer token");
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "A notification needs Authorization: Bearer <BERTH_EVENTS_TOKEN>.",
        )
            .into_response();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !is_envelope_type(content_type) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected application/vnd.docker.distribution.events.v1+json or …v2+json.",
        )
            .into_response();
    }
    let envelope = match parse_envelope(&body) {
        Ok(e) => e,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    if envelope.dropped > 0 {
        tracing::debug!(
            dropped = envelope.dropped,
            "notification events not about manifests, or malformed"
        );
    }
    let Ok(slot) = state.shared.event_slots.clone().try_acquire_owned() else {
        tracing::warn!("registry notifications arrive faster than they are handled; asking the registry to retry");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            "Busy: retry later.",
        )
            .into_response();
    };
    // Counted once taken: a refused envelope comes again.
    metrics::counter!(super::metrics::EVENTS_IGNORED, "reason" => "not_a_manifest")
        .increment(envelope.dropped as u64);
    // Prefetches carry this notification's request id to the registry.
    tokio::spawn(crate::registry::request_id::carry(async move {
        for event in envelope.events {
            handle(&state, event).await;
        }
        drop(slot);
    }));
    StatusCode::ACCEPTED.into_response()
}

/// One event, after the answer went out.
async fn handle(state: &AppState, e: ManifestEvent) {
    if e.action == EventAction::Pull && e.user_agent == state.settings().own_user_agent() {
        metrics::counter!(super::metrics::EVENTS_IGNORED, "reason" => "berth").increment(1);
        return;
    }
    let row = ActivityRow {
        // Without the registry's id there is nothing to deduplicate on.
        event_id: if e.id.is_empty() {
            format!("berth-{}", super::session::new_csrf_token())
        } else {
            e.id.clone()
        },
        // The registry's clock, unless it is missing or far off ours.
        at_ms: e
            .at_ms
            .filter(|t| (t - super::clock::now_ms()).abs() < 86_400_000)
            .unwrap_or_else(super::clock::now_ms),
        action: e.action.as_str().into(),
        repository: e.repository.to_string(),
        tag: e.tag.as_ref().map(|t| t.to_string()).unwrap_or_default(),
        digest: e.digest.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        media_type: e.media_type.clone(),
        actor: e.actor.clone(),
        client_addr: e.client_addr.clone(),
    };
    match state.database().record_event(&row).await {
        Ok(false) => {
            metrics::counter!(super::metrics::EVENTS_IGNORED, "reason" => "redelivered")
                .increment(1);
            return;
        }
        Ok(true) => {}
        Err(err) => {
            tracing::warn!(error = %err, action = %row.action, repository = %row.repository, "could not store a registry event")
        }
    }
    metrics::counter!(super::metrics::EVENTS_RECEIVED, "action" => e.action.as_str()).increment(1);
    match e.action {
        EventAction::Push => {
            state.repository_changed(e.repository.as_str()).await;
            index_push(state, &e, row.at_ms).await;
        }
        EventAction::Delete => {
            state.repository_changed(e.repository.as_str()).await;
            let ix = state.indexer();
            if let Err(err) = ix
                .deleted(&e.repository, e.tag.as_ref(), e.digest.as_ref())
                .await
            {
                tracing::warn!(error = %err, repository = %e.repository, "index: a delete event not recorded; the next sync will");
            }
        }
        EventAction::Pull => {}
    }
}

/// A push into the index: the manifest described (which also puts it and
/// its config in the content cache) and the tag moved. Without an index
/// account, the service account prefetches into the content cache alone.
async fn index_push(state: &AppState, e: &ManifestEvent, at_ms: i64) {
    let ix = state.indexer();
    let Some(digest) = &e.digest else { return };
    if !ix.enabled() {
        return prefetch(state, e).await;
    }
    if let Err(err) = ix
        .pushed(&e.repository, e.tag.as_ref(), digest, at_ms)
        .await
    {
        tracing::debug!(error = %err, repository = %e.repository, "index: a pushed manifest not described; the next sync will");
    }
}

/// Fetches a pushed manifest and, for an image, its config, with the
/// service account, so the first view finds them in the content cache
/// (served there only after a fresh `HEAD` with the viewer's own
/// credentials). Without a service account that can read, nothing is
/// fetched: the first view is then as cold as without events.
async fn prefetch(state: &AppState, e: &ManifestEvent) {
    let Some(digest) = &e.digest else { return };
    let creds = state.service_credentials();
    let reg = state.registry();
    let repo = &e.repository;
    let fetched = match reg
        .manifest(&creds, repo, &Reference::Digest(digest.clone()))
        .await
    {
        Ok(m) => m,
        Err(err) => {
            tracing::debug!(error = %err, %repo, "prefetch of a pushed manifest skipped");
            return;
        }
    };
    if let Some(tag) = &e.tag {
        reg.remember(repo, &Reference::from(tag), &fetched).await;
    }
    if let Ok(manifest::Parsed::Image(m)) = manifest::parse(&fetched) {
        if let Ok(config) = manifest::config_digest(&m) {
            if let Err(err) = reg.blob(&creds, repo, &config).await {
                tracing::debug!(error = %err, %repo, "prefetch of a pushed config skipped");
            }
        }
    }
}
