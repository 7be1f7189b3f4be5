//! The landing page's summary: counts and the largest repositories from
//! the storage graph, and the latest pushes (from registry notifications
//! when Berth gets them, else from the index), all limited to what the
//! reader may see.

use std::collections::{HashMap, HashSet};

use crate::error::AppError;
use crate::model::{Dashboard, RecentPush, DASHBOARD_LARGEST, DASHBOARD_RECENT};
use crate::server::session::Caller;
use crate::server::state::AppState;

/// Recent index tags read to find [`DASHBOARD_RECENT`] readable ones.
const RECENT_READ: i64 = 64;
/// Recent push events read to find [`DASHBOARD_RECENT`] tagged ones.
const EVENTS_READ: usize = 48;

pub async fn dashboard(state: &AppState, caller: &Caller) -> Result<Dashboard, AppError> {
    let report = super::storage::report(state, caller).await?;
    let (recent, recent_from_events) = recent_pushes(state, caller).await?;
    Ok(Dashboard {
        index_enabled: report.index_enabled,
        synced_ms: report.synced_ms,
        now: report.now,
        repositories: report.repository_count,
        tags: report.tags,
        bytes: report.total_bytes,
        largest: report
            .repositories
            .into_iter()
            .take(DASHBOARD_LARGEST)
            .collect(),
        recent,
        recent_from_events,
    })
}

async fn recent_pushes(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<RecentPush>, bool), AppError> {
    let pushes = crate::server::activity::EventFilter {
        action: Some("push"),
        ..Default::default()
    };
    let events = crate::server::activity::page(state, caller, &pushes, 1, EVENTS_READ).await?;
    // A multi-platform push is several pushes: the platform manifests by
    // digest, then the tagged index. Only tagged pushes are listed.
    let tagged: Vec<_> = events
        .rows
        .into_iter()
        .filter(|r| !r.tag.is_empty())
        .collect();
    // A tag deleted since would link to a missing page: with the index on,
    // only tags it still holds are listed.
    let tagged = if state.indexer().enabled() {
        let mut held: HashMap<String, HashSet<String>> = HashMap::new();
        let mut kept = Vec::new();
        for r in tagged {
            if kept.len() == DASHBOARD_RECENT {
                break;
            }
            if !held.contains_key(&r.repository) {
                let tags = state
                    .database()
                    .index_tags_of(&r.repository)
                    .await
                    .unwrap_or_default();
                held.insert(
                    r.repository.clone(),
                    tags.into_iter().map(|t| t.tag).collect(),
                );
            }
            if held.get(&r.repository).is_some_and(|t| t.contains(&r.tag)) {
                kept.push(r);
            }
        }
        kept
    } else {
        tagged
    };
    if events.events_on && !tagged.is_empty() {
        let rows = tagged
            .into_iter()
            .take(DASHBOARD_RECENT)
            .map(|r| RecentPush {
                repository: r.repository,
                tag: r.tag,
                digest: r.digest,
                at_ms: r.at_ms,
                actor: r.actor,
            })
            .collect();
        return Ok((rows, true));
    }
    let tags = state
        .database()
        .index_recent_tags(RECENT_READ)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading recent tags from the index failed");
            AppError::Unavailable(crate::t!("storage-error-index"))
        })?;
    let readable: HashSet<String> = super::visibility::readable(
        state,
        &caller.credentials,
        tags.iter().map(|t| t.repository.clone()),
    )
    .await?
    .into_iter()
    .collect();
    let rows = tags
        .into_iter()
        .filter(|t| readable.contains(&t.repository))
        // Signature and referrers tags are not what anyone pushed by hand.
        .filter(|t| crate::registry::signatures::parse_tag(&t.tag).is_none())
        .take(DASHBOARD_RECENT)
        .map(|t| RecentPush {
            repository: t.repository,
            tag: t.tag,
            digest: t.digest,
            at_ms: t.since_ms,
            actor: String::new(),
        })
        .collect();
    Ok((rows, false))
}
