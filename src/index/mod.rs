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

pub mod dashboard;
pub mod describe;
pub mod frees;
pub mod pages;
pub mod progress;
pub mod query;
pub mod rows;
pub mod search;
pub mod status;
pub mod storage;
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
    /// One lock per repository being checked, holding when its last check
    /// ended; idle ones go away.
    checking: moka::future::Cache<String, CheckLock>,
    /// The graph `/storage` and the dashboard read, kept while unchanged.
    storage: storage::StorageCache,
    /// Without an account: repositories recorded lately from what a user
    /// opened, so each is checked at most once per [`OBSERVE_EVERY`].
    observed: moka::sync::Cache<String, ()>,
    /// `BERTH_INDEX_OPENED`.
    observe: bool,
}

/// Without an index account, how often one repository that users open is
/// recorded again.
pub const OBSERVE_EVERY: Duration = Duration::from_secs(300);

/// A check of a repository that ended this recently is answer enough for
/// one more: a hundred "Check now" clicks make one walk, not a hundred.
pub const CHECK_REUSED_FOR: Duration = Duration::from_secs(10);

/// One repository's check lock, holding when its last check ended.
type CheckLock = std::sync::Arc<tokio::sync::Mutex<Option<std::time::Instant>>>;

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
            checking: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_idle(std::time::Duration::from_secs(300))
                .build(),
            storage: storage::StorageCache::default(),
            observed: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(OBSERVE_EVERY)
                .build(),
            observe: true,
        }
    }

    /// Whether, without an account, repositories users open are indexed.
    pub fn observing(mut self, observe: bool) -> Self {
        self.observe = observe;
        self
    }

    /// Whether an account to sync with was configured.
    /// The account that reads the whole registry, if there is one.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.creds.as_ref()
    }

    pub fn enabled(&self) -> bool {
        self.creds.is_some()
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    pub fn storage(&self) -> &storage::StorageCache {
        &self.storage
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
        self.db
            .index_set_missing(repo.as_str(), digest.as_str(), false)
            .await
            .map_err(SyncError::Database)?;
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

    /// Checks one repository's tags with the registry now (tag list, a
    /// `HEAD` per tag, new digests described). One check per repository
    /// at a time: with `wait` a caller waits for a running one, and one
    /// that ended within [`CHECK_REUSED_FOR`] stands for a new one (no
    /// changes reported); without, it leaves a running or recent one to
    /// be (`None`, as without an account). The check runs in a task of its
    /// own: a page that gives up waiting, or a render that drops it, does
    /// not cut it short.
    pub async fn revalidate(
        self: &std::sync::Arc<Self>,
        repo: &RepositoryName,
        wait: bool,
    ) -> Option<Result<crate::store::index::TagChanges, SyncError>> {
        self.creds.as_ref()?;
        let lock = self.check_lock(repo).await;
        let (me, repo) = (self.clone(), repo.clone());
        let task = tokio::spawn(crate::registry::request_id::carry(async move {
            let mut last = if wait {
                lock.lock_owned().await
            } else {
                lock.try_lock_owned().ok()?
            };
            if last.is_some_and(|at| at.elapsed() < CHECK_REUSED_FOR) {
                return wait.then(|| Ok(Default::default()));
            }
            let creds = me.creds.as_ref()?;
            let checked = Box::pin(me.sync_repository(creds, &repo, &Known::Database, false))
                .await
                .map(|(_, changes)| changes);
            // A failed check counts too: a registry in trouble is not
            // asked again by every waiting click.
            *last = Some(std::time::Instant::now());
            Some(checked)
        }));
        task.await.unwrap_or_else(|e| {
            Some(Err(SyncError::Database(format!(
                "a repository check stopped: {e}"
            ))))
        })
    }

    async fn check_lock(&self, repo: &RepositoryName) -> CheckLock {
        self.checking
            .get_with(repo.to_string(), async { Default::default() })
            .await
    }

    /// Without an account that reads the whole registry, the index still
    /// learns what users open: a repository a user has just listed with
    /// their own credentials is checked in the background with those same
    /// credentials (tag list, a `HEAD` per tag, new digests described; the
    /// manifests mostly come from the content cache the listing filled).
    /// Search and storage then cover those repositories; what each user
    /// sees of them is still filtered by their own access.
    pub fn observed(self: &std::sync::Arc<Self>, repo: &RepositoryName, creds: &Credentials) {
        if self.creds.is_some() || !self.observe || self.observed.contains_key(repo.as_str()) {
            return;
        }
        self.observed.insert(repo.to_string(), ());
        let (me, repo, creds) = (self.clone(), repo.clone(), creds.clone());
        tokio::spawn(crate::registry::request_id::carry(async move {
            let lock = me.check_lock(&repo).await;
            let Ok(_one_at_a_time) = lock.try_lock_owned() else {
                return;
            };
            if let Err(e) =
                Box::pin(me.sync_repository(&creds, &repo, &Known::Database, false)).await
            {
                tracing::warn!(error = %e, %repo, "index: recording an opened repository failed");
            }
        }));
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
            // It may be an index's child: shown missing from now on.
            self.db
                .index_set_missing(repo.as_str(), digest.as_str(), true)
                .await?;
        } else if let Some(tag) = tag {
            self.db.index_drop_tag(repo.as_str(), tag.as_str()).await?;
        }
        Ok(())
    }
}
