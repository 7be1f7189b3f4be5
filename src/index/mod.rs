//! The registry index: Berth's picture of the whole registry in its own
//! database (repositories, tags → digest, manifests by digest and what
//! they reference), so search and storage can see across repositories,
//! which the Registry API cannot.
//!
//! Kept fresh three ways: a full sync at start-up and every
//! `BERTH_INDEX_INTERVAL` (`sync.rs`), the registry's notifications (push
//! and delete, below), and Berth's own deletes. It is a cache, never the
//! authority: deletes always ask the registry afresh.
//!
//! The sync reads with one account that can see everything (`account`);
//! what a user sees through the index is filtered by their own access.

pub mod describe;
pub mod progress;
pub mod query;
pub mod search;
pub mod status;
pub mod sync;
pub mod visibility;

use std::time::Duration;

use crate::registry::{Credentials, Digest, RegistryClient, RepositoryName, Tag};
use crate::store::Database;
use progress::SyncProgress;
use sync::{Known, SyncError};

pub struct Indexer {
    reg: RegistryClient,
    db: Database,
    /// The account the index reads with; `None`: no sync.
    creds: Option<Credentials>,
    interval: Duration,
    progress: SyncProgress,
    /// "Sync now", from the registry page.
    wake: tokio::sync::Notify,
}

impl Indexer {
    pub fn new(
        reg: RegistryClient,
        db: Database,
        creds: Option<Credentials>,
        interval: Duration,
    ) -> Self {
        Self {
            reg,
            db,
            creds,
            interval,
            progress: SyncProgress::default(),
            wake: tokio::sync::Notify::new(),
        }
    }

    /// Whether an account to sync with was configured.
    pub fn enabled(&self) -> bool {
        self.creds.is_some()
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    pub fn progress(&self) -> &SyncProgress {
        &self.progress
    }

    /// Asks the sync loop for a sync now (it runs at most one at a time).
    pub fn sync_soon(&self) {
        self.wake.notify_one();
    }

    /// The sync loop: at start, then every interval or when woken. An
    /// interval of zero syncs only when asked ("Sync now").
    pub fn spawn(self: &std::sync::Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        self.creds.as_ref()?;
        let me = self.clone();
        let periodic = !self.interval.is_zero();
        Some(tokio::spawn(async move {
            if periodic {
                me.sync_all().await;
            }
            loop {
                if periodic {
                    tokio::select! {
                        _ = tokio::time::sleep(me.interval) => {}
                        _ = me.wake.notified() => {}
                    }
                } else {
                    me.wake.notified().await;
                }
                me.sync_all().await;
            }
        }))
    }

    /// A push the registry told of: the manifest described (if new) and
    /// the tag pointed at it. Warms the content cache on the way, so the
    /// first view of the pushed tag needs no `GET`.
    pub async fn pushed(
        &self,
        repo: &RepositoryName,
        tag: Option<&Tag>,
        digest: &Digest,
        at_ms: i64,
    ) -> Result<(), SyncError> {
        let Some(creds) = &self.creds else {
            return Ok(());
        };
        self.ensure(creds, repo, digest, &Known::Database, 0)
            .await?;
        if let Some(tag) = tag {
            self.reg
                .content_cache()
                .put_tag_digest(repo.as_str(), tag.as_str(), digest)
                .await;
            self.db
                .index_put_tag(repo.as_str(), tag.as_str(), digest.as_str(), at_ms)
                .await
                .map_err(SyncError::Database)?;
        }
        Ok(())
    }

    /// A delete (the registry told of it, or Berth made it): by digest,
    /// every tag of the repository at that digest goes; by tag, that tag.
    pub async fn deleted(
        &self,
        repo: &RepositoryName,
        tag: Option<&Tag>,
        digest: Option<&Digest>,
    ) -> Result<(), String> {
        if let Some(digest) = digest {
            self.db
                .index_drop_digest(repo.as_str(), digest.as_str())
                .await?;
        } else if let Some(tag) = tag {
            self.db.index_drop_tag(repo.as_str(), tag.as_str()).await?;
        }
        Ok(())
    }
}
