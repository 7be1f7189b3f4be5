//! The index's state for the registry page: whether it syncs, how far the
//! running sync got, the last finished one, and what the index holds.

use crate::model::{IndexStatus, IndexSyncView};
use crate::server::clock::now_ms;
use crate::server::state::AppState;

pub async fn of(state: &AppState, csrf: &str) -> IndexStatus {
    let ix = state.indexer();
    let now = ix.progress().snapshot();
    let mut status = IndexStatus {
        enabled: ix.enabled(),
        interval_s: ix.interval().as_secs(),
        running: now.running,
        started_ms: now.started_ms,
        repositories_done: now.repositories_done,
        repositories_total: now.repositories_total,
        tags_seen: now.tags,
        now_ms: now_ms(),
        csrf: csrf.to_string(),
        ..Default::default()
    };
    let db = state.database();
    match db.index_recent_syncs(1).await {
        Ok(runs) => {
            status.last = runs.into_iter().next().map(|r| IndexSyncView {
                started_ms: r.started_ms,
                took_ms: r.finished_ms - r.started_ms,
                repositories: r.repositories,
                tags: r.tags,
                fetched: r.fetched,
                requests: r.requests,
                error: r.error,
            })
        }
        Err(e) => status.error = Some(e),
    }
    match db.index_counts().await {
        Ok(c) => {
            status.repositories = c.repositories;
            status.tags = c.tags;
            status.manifests = c.manifests;
            status.blobs = c.blobs;
            status.blob_bytes = c.blob_bytes;
        }
        Err(e) => status.error = Some(e),
    }
    status
}
