//! The registry as retention plans it. Tag lists and each tag's digest are
//! read fresh (a `HEAD` per tag), never from the index: only
//! digest-addressed facts, which cannot go stale, come from the index
//! (described now when it lacks them): an image's date and an index's
//! platform images. When each tag arrived comes from the registry's push
//! notification if Berth got one, else from when the index first saw the
//! tag at that digest (now, for a tag it had not seen: the snapshot
//! records it, so the next plan says the same).

use std::collections::HashMap;

use futures::stream::{self, StreamExt, TryStreamExt};

use super::plan::{Clock, RepoState, TagState};
use super::policy::Policy;
use crate::error::AppError;
use crate::registry::{Credentials, Digest, RegistryClient, RepositoryName};
use crate::server::repository_tags::{tag_heads, tags_of};
use crate::store::index::{EdgeRole, IndexKind, IndexedManifest};
use crate::store::Database;

/// Repositories read at the same time (each then `HEAD`s its tags 16 at a
/// time, within the registry client's own bound).
const REPOS_AT_ONCE: usize = 4;
/// Push notifications read per repository for their times; older pushes
/// fall back to when the index first saw them.
const PUSHES_READ: u64 = 10_000;

/// Every repository some policy covers, as the registry holds it now.
pub async fn take(
    reg: &RegistryClient,
    creds: &Credentials,
    db: &Database,
    policies: &[Policy],
    now_ms: i64,
) -> Result<Vec<RepoState>, AppError> {
    let covered: Vec<RepositoryName> = reg
        .catalog(creds)
        .await?
        .into_iter()
        .filter(|r| policies.iter().any(|p| p.covers_repository(r.as_str())))
        .collect();
    stream::iter(covered)
        .map(|repo| async move { repository(reg, creds, db, &repo, now_ms).await })
        .buffered(REPOS_AT_ONCE)
        .try_collect()
        .await
}

async fn repository(
    reg: &RegistryClient,
    creds: &Credentials,
    db: &Database,
    repo: &RepositoryName,
    now_ms: i64,
) -> Result<RepoState, AppError> {
    let heads = match tags_of(reg, creds, repo).await {
        Ok(tags) => tag_heads(reg, creds, repo, tags.names).await?,
        // Gone since the catalog was read: nothing to plan.
        Err(AppError::NotFound(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    let first_seen: HashMap<String, i64> = db
        .index_tags_of(repo.as_str())
        .await
        .map_err(database)?
        .into_iter()
        .map(|t| (format!("{}\0{}", t.tag, t.digest), t.since_ms))
        .collect();
    let mut notified: HashMap<String, i64> = HashMap::new();
    for e in db
        .recent_events(Some("push"), Some(repo.as_str()), PUSHES_READ)
        .await
        .map_err(database)?
    {
        // Newest first: a tag pushed again at the same digest counts from
        // its last push.
        notified
            .entry(format!("{}\0{}", e.tag, e.digest))
            .or_insert(e.at_ms);
    }
    let pulls = db
        .pull_stats(repo.as_str(), now_ms, 1)
        .await
        .map_err(database)?;
    let mut described: HashMap<String, IndexedManifest> = HashMap::new();
    let mut state = RepoState {
        repository: repo.to_string(),
        ..Default::default()
    };
    for (tag, head) in heads {
        let m = known(reg, creds, db, repo, &head.digest, &mut described).await?;
        let mut created = m.created;
        if m.kind == IndexKind::Index {
            let mut children = Vec::new();
            for e in m.edges.iter().filter(|e| !e.role.is_blob()) {
                children.push(e.child.clone());
                if e.role == EdgeRole::Manifest {
                    if let Ok(d) = Digest::parse(&e.child) {
                        // A platform image the registry lost leaves the date
                        // to the others.
                        if let Ok(child) = known(reg, creds, db, repo, &d, &mut described).await {
                            created = created.max(child.created);
                        }
                    }
                }
            }
            state.children.insert(head.digest.to_string(), children);
        }
        let key = format!("{}\0{}", tag.as_str(), head.digest.as_str());
        let (pushed_ms, clock) = match (notified.get(&key), first_seen.get(&key)) {
            (Some(&at), _) => (at, Clock::Notified),
            (None, Some(&at)) => (at, Clock::FirstSeen),
            (None, None) => (now_ms, Clock::FirstSeen),
        };
        state.tags.push(TagState {
            tag: tag.to_string(),
            digest: head.digest.to_string(),
            pushed_ms: Some(pushed_ms),
            clock,
            created,
            pulled: pulls.get(tag.as_str()).map(|p| p.last_ms / 1000),
        });
    }
    // The index learns the fresh mapping too: what a delete frees is
    // counted from it.
    let pairs: Vec<(String, String)> = state
        .tags
        .iter()
        .map(|t| (t.tag.clone(), t.digest.clone()))
        .collect();
    db.index_set_tags(repo.as_str(), &pairs, 0, now_ms)
        .await
        .map_err(database)?;
    Ok(state)
}

fn database(e: String) -> AppError {
    tracing::error!(error = %e, "retention could not read the index");
    AppError::Unavailable(crate::t!("retention-error-database"))
}

/// The manifest `digest` as the index describes it, described and stored
/// now if it is not there yet.
async fn known(
    reg: &RegistryClient,
    creds: &Credentials,
    db: &Database,
    repo: &RepositoryName,
    digest: &Digest,
    cache: &mut HashMap<String, IndexedManifest>,
) -> Result<IndexedManifest, AppError> {
    if let Some(m) = cache.get(digest.as_str()) {
        return Ok(m.clone());
    }
    let m = match db.index_manifest(digest.as_str()).await.map_err(database)? {
        Some(m) => m,
        None => {
            let m = crate::index::describe::describe(reg, creds, repo, digest).await?;
            db.index_put_manifest(&m).await.map_err(database)?;
            m
        }
    };
    cache.insert(digest.to_string(), m.clone());
    Ok(m)
}
