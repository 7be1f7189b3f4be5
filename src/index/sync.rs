//! The full sync: catalog → each repository's tag list → a `HEAD` per tag
//! → a description of every digest the index lacks (an index's children
//! too). Digest-addressed content is never fetched twice, so a resync of an
//! unchanged registry costs the catalog, one tag list per repository and
//! one `HEAD` per tag.

use std::collections::HashSet;
use std::sync::Mutex;

use futures::stream::{self, StreamExt, TryStreamExt};

use super::describe::describe;
use super::Indexer;
use crate::error::AppError;
use crate::registry::{Credentials, Digest, Reference, RegistryError, RepositoryName};
use crate::server::clock::now_ms;
use crate::server::repository_tags::{tag_heads, tags_of};
use crate::store::index::{EdgeRole, SyncRecord, TagChanges};

/// Repositories walked at once. Each one's `HEAD`s go 16 at a time, and
/// every call waits for the registry client's process-wide limit.
const REPOSITORY_CONCURRENCY: usize = 4;

/// An index inside an index inside an index is not followed further.
const MAX_DEPTH: usize = 2;

/// Why a sync (or one repository of it) stopped.
#[derive(Debug)]
pub enum SyncError {
    Registry(RegistryError),
    Database(String),
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Registry(e) => write!(f, "registry: {e}"),
            SyncError::Database(e) => write!(f, "database: {e}"),
        }
    }
}

impl From<RegistryError> for SyncError {
    fn from(e: RegistryError) -> Self {
        SyncError::Registry(e)
    }
}

impl From<AppError> for SyncError {
    fn from(e: AppError) -> Self {
        SyncError::Registry(RegistryError::Protocol(e.to_string()))
    }
}

/// The digests the index already describes. A full sync loads them once;
/// a single event asks the database.
pub(super) enum Known {
    Loaded(Mutex<HashSet<String>>),
    Database,
}

impl Known {
    async fn has(&self, ix: &Indexer, digest: &str) -> Result<bool, SyncError> {
        match self {
            Known::Loaded(set) => Ok(set.lock().expect("known digests").contains(digest)),
            Known::Database => ix
                .db
                .index_has_manifest(digest)
                .await
                .map_err(SyncError::Database),
        }
    }

    fn add(&self, digest: &str) {
        if let Known::Loaded(set) = self {
            set.lock()
                .expect("known digests")
                .insert(digest.to_string());
        }
    }
}

impl Indexer {
    /// One full sync, recorded in `index_syncs`. `None` when there is no
    /// account to sync with, another sync is running, or (PostgreSQL)
    /// another replica holds the sync lease.
    pub async fn sync_all(&self) -> Option<SyncRecord> {
        let creds = self.creds.as_ref()?;
        let started_ms = now_ms();
        if !self.progress.start(started_ms) {
            return None;
        }
        let lease = match self.db.sync_lease().await {
            Ok(Some(lease)) => lease,
            Ok(None) => {
                tracing::debug!("another replica is syncing the index");
                self.progress.finish();
                return None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "index sync: no lease");
                self.progress.finish();
                return None;
            }
        };
        let walk = crate::registry::request_id::scope(
            format!("index-sync-{started_ms}"),
            self.walk(creds),
        );
        let result =
            crate::registry::call_metrics::tallied(self.progress.requests.clone(), walk).await;
        lease.release().await;
        let seen = self.progress.snapshot();
        let record = SyncRecord {
            started_ms,
            finished_ms: now_ms(),
            repositories: seen.repositories_done as i64,
            tags: seen.tags as i64,
            fetched: seen.fetched as i64,
            requests: seen.requests as i64,
            error: result.err().map(|e| e.to_string()).unwrap_or_default(),
        };
        if record.error.is_empty() {
            tracing::info!(
                repositories = record.repositories,
                tags = record.tags,
                fetched = record.fetched,
                requests = record.requests,
                ms = record.finished_ms - record.started_ms,
                "index synced"
            );
        } else {
            tracing::warn!(error = %record.error, "index sync stopped");
        }
        if let Err(e) = self.db.index_record_sync(&record).await {
            tracing::warn!(error = %e, "could not record an index sync");
        }
        self.progress.finish();
        Some(record)
    }

    async fn walk(&self, creds: &Credentials) -> Result<(), SyncError> {
        let listed = self.reg.catalog_checked(creds).await?;
        let mut names: Vec<RepositoryName> = listed.names;
        names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        names.dedup();
        let listed: HashSet<String> = names.iter().map(|n| n.to_string()).collect();
        let gone = self
            .db
            .index_keep_repositories(&listed)
            .await
            .map_err(SyncError::Database)?;
        if gone > 0 {
            tracing::info!(
                repositories = gone,
                "gone from the catalog, dropped from the index"
            );
        }
        self.progress.set_total(names.len() as u64);
        let known = Known::Loaded(Mutex::new(
            self.db
                .index_manifest_digests()
                .await
                .map_err(SyncError::Database)?,
        ));
        stream::iter(names)
            .map(|repo| {
                let known = &known;
                async move {
                    let (tags, _) = self.sync_repository(creds, &repo, known, true).await?;
                    self.progress.repository_done(tags);
                    Ok::<(), SyncError>(())
                }
            })
            .buffer_unordered(REPOSITORY_CONCURRENCY)
            .try_collect::<()>()
            .await
    }

    /// One repository: its tags, their digests, and descriptions of the
    /// digests the index lacks, stored before the tags point at them. A
    /// manifest that cannot be read is logged and left out; only an
    /// unreachable registry or database stops the sync. Returns the number
    /// of tags and what changed. `listed`: the name came from the
    /// registry's catalog; any other name (a page a user asked to check)
    /// that the registry does not know gets no row.
    pub(super) async fn sync_repository(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        known: &Known,
        listed: bool,
    ) -> Result<(u64, TagChanges), SyncError> {
        let (tags, skipped) = match tags_of(&self.reg, creds, repo).await {
            Ok(list) => (list.names, list.rejected.len()),
            // Every tag is gone from a repository the catalog lists, or
            // that the index held: it holds it empty now.
            Err(AppError::NotFound(_))
                if listed
                    || self
                        .db
                        .index_holds_repository(repo.as_str())
                        .await
                        .map_err(SyncError::Database)? =>
            {
                (Vec::new(), 0)
            }
            Err(AppError::NotFound(_)) => return Ok((0, TagChanges::default())),
            Err(e) => return Err(e.into()),
        };
        let heads = tag_heads(&self.reg, creds, repo, tags).await?;
        let mut digests: Vec<&Digest> = heads.iter().map(|(_, h)| &h.digest).collect();
        digests.sort();
        digests.dedup();
        for digest in digests {
            match self.ensure(creds, repo, digest, known, 0).await {
                Ok(()) => {}
                Err(SyncError::Registry(e @ RegistryError::Unreachable { .. })) => {
                    return Err(e.into())
                }
                Err(SyncError::Registry(e)) => {
                    tracing::warn!(error = %e, %repo, %digest, "index: manifest left out")
                }
                Err(e) => return Err(e),
            }
        }
        let pairs: Vec<(String, String)> = heads
            .iter()
            .map(|(t, h)| (t.to_string(), h.digest.to_string()))
            .collect();
        let changes = self
            .db
            .index_set_tags(repo.as_str(), &pairs, skipped as i64, now_ms())
            .await
            .map_err(SyncError::Database)?;
        if changes.any() {
            tracing::debug!(%repo, added = changes.added, moved = changes.moved, removed = changes.removed, "index: tags changed");
        }
        Ok((pairs.len() as u64, changes))
    }

    /// Describes `digest` unless the index has it. An index's children are
    /// stored before the index itself, so a stored index always comes with
    /// every child the registry had. A child the registry lacks is left to
    /// the reader (an edge without a manifest: "missing").
    pub(super) async fn ensure(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        digest: &Digest,
        known: &Known,
        depth: usize,
    ) -> Result<(), SyncError> {
        if known.has(self, digest.as_str()).await? {
            return Ok(());
        }
        let described = describe(&self.reg, creds, repo, digest).await?;
        if depth < MAX_DEPTH {
            for e in described
                .edges
                .iter()
                .filter(|e| matches!(e.role, EdgeRole::Manifest | EdgeRole::Attestation))
            {
                let Ok(child) = Digest::parse(&e.child) else {
                    continue;
                };
                // Described once for the registry, but present or not per
                // repository: a child already known elsewhere gets a HEAD here.
                let present = if known.has(self, child.as_str()).await? {
                    match self
                        .reg
                        .head_manifest(creds, repo, &Reference::Digest(child.clone()))
                        .await
                    {
                        Ok(_) => true,
                        Err(RegistryError::NotFound(_)) => false,
                        Err(e) => return Err(e.into()),
                    }
                } else {
                    match Box::pin(self.ensure(creds, repo, &child, known, depth + 1)).await {
                        Ok(()) => true,
                        Err(SyncError::Registry(RegistryError::NotFound(_))) => false,
                        Err(e) => return Err(e),
                    }
                };
                self.db
                    .index_set_missing(repo.as_str(), child.as_str(), !present)
                    .await
                    .map_err(SyncError::Database)?;
            }
        }
        self.db
            .index_put_manifest(&described)
            .await
            .map_err(SyncError::Database)?;
        known.add(&described.digest);
        self.progress.fetched_one();
        Ok(())
    }
}
