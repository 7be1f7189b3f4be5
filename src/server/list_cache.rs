//! Short-lived caches of what changes: the catalog and each repository's
//! tag list (rows with digest, size, date, platforms). Keyed by who is
//! asking (a fingerprint of the registry credentials used), so in
//! `registry` auth mode one user's view is never served to another; users
//! who share the service account share its view. Concurrent misses for one
//! key share a single computation, so ten people opening the same cold
//! page cause one set of registry requests. Berth's own deletes invalidate
//! the repository at once.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use crate::error::AppError;
use crate::model::{RepoList, TagList};

#[derive(Clone, PartialEq, Eq, Hash)]
struct RepoKey {
    who: String,
    repo: String,
}

#[derive(Clone)]
pub struct ListCache {
    catalogs: Cache<String, Arc<RepoList>>,
    tag_lists: Cache<RepoKey, Arc<TagList>>,
}

/// Rough bytes of a tag list, for the memory bound.
fn tag_list_weight(list: &TagList) -> u32 {
    let rows: usize = list
        .rows
        .iter()
        .map(|r| 300 + r.tag.len() * 2 + r.platforms.len() * 48 + r.shares_digest_with.len() * 24)
        .sum();
    rows.min(u32::MAX as usize) as u32
}

/// Loads through the cache in a task of its own: if the request that asked
/// gives up (its deadline, a closed tab), the load goes on and fills the
/// cache, so the next visit finds it instead of starting again. Concurrent
/// misses still share one load (`try_get_with`).
async fn finish_in_background<K, V, F>(
    name: &'static str,
    cache: Cache<K, Arc<V>>,
    key: K,
    load: F,
) -> Result<Arc<V>, AppError>
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
    F: std::future::Future<Output = Result<V, AppError>> + Send + 'static,
{
    // The load's registry calls carry this request's id, and its messages
    // the request's language.
    let task = tokio::spawn(crate::i18n::carry(crate::registry::request_id::carry(
        async move {
            // A miss is a lookup whose own load ran; a wait on another's is a hit.
            let loaded = std::sync::atomic::AtomicBool::new(false);
            let answer = cache
                .try_get_with(key, async {
                    loaded.store(true, std::sync::atomic::Ordering::Relaxed);
                    load.await.map(Arc::new)
                })
                .await
                .map_err(|e| (*e).clone());
            let missed = loaded.load(std::sync::atomic::Ordering::Relaxed);
            crate::registry::content_cache::counted(name, (!missed).then_some(()));
            answer
        },
    )));
    task.await
        .map_err(|e| AppError::Internal(format!("a list load stopped: {e}")))?
}

impl ListCache {
    /// `ttl` is how long a list may be reused; `max_bytes` bounds them all.
    pub fn new(ttl: Duration, max_bytes: u64) -> Self {
        Self {
            catalogs: Cache::builder()
                .time_to_live(ttl)
                .max_capacity(max_bytes / 4)
                .weigher(|_: &String, v: &Arc<RepoList>| {
                    v.repositories
                        .iter()
                        .map(|r| r.len() + 24)
                        .sum::<usize>()
                        .min(u32::MAX as usize) as u32
                })
                .build(),
            tag_lists: Cache::builder()
                .time_to_live(ttl)
                .max_capacity(max_bytes - max_bytes / 4)
                .weigher(|_: &RepoKey, v: &Arc<TagList>| tag_list_weight(v))
                .support_invalidation_closures()
                .build(),
        }
    }

    pub async fn catalog<F>(&self, who: &str, load: F) -> Result<Arc<RepoList>, AppError>
    where
        F: std::future::Future<Output = Result<RepoList, AppError>> + Send + 'static,
    {
        finish_in_background("catalogs", self.catalogs.clone(), who.to_string(), load).await
    }

    pub async fn tag_list<F>(
        &self,
        who: &str,
        repo: &str,
        load: F,
    ) -> Result<Arc<TagList>, AppError>
    where
        F: std::future::Future<Output = Result<TagList, AppError>> + Send + 'static,
    {
        let key = RepoKey {
            who: who.to_string(),
            repo: repo.to_string(),
        };
        finish_in_background("tag_lists", self.tag_lists.clone(), key, load).await
    }

    /// The tags a cached list of `repo` (as `who` sees it) shows pointing
    /// at `digest`; `None` when no such list is cached.
    pub async fn tags_pointing_at(
        &self,
        who: &str,
        repo: &str,
        digest: &str,
    ) -> Option<Vec<String>> {
        let key = RepoKey {
            who: who.to_string(),
            repo: repo.to_string(),
        };
        let list = self.tag_lists.get(&key).await?;
        Some(
            list.rows
                .iter()
                .filter(|r| r.digest == digest)
                .map(|r| r.tag.clone())
                .collect(),
        )
    }

    /// One user's list of `repo` (they asked for a fresh look).
    pub async fn invalidate(&self, who: &str, repo: &str) {
        let key = RepoKey {
            who: who.to_string(),
            repo: repo.to_string(),
        };
        self.tag_lists.invalidate(&key).await;
    }

    /// After Berth changed `repo`: every user's view of it, and every
    /// catalog (a repository may have lost its last tag), is dropped.
    pub fn invalidate_repo(&self, repo: &str) {
        let repo = repo.to_string();
        let _ = self
            .tag_lists
            .invalidate_entries_if(move |k, _| k.repo == repo);
        self.catalogs.invalidate_all();
    }

    /// Bytes the lists hold, after moka has settled its pending counts.
    pub async fn bytes_held(&self) -> u64 {
        self.catalogs.run_pending_tasks().await;
        self.tag_lists.run_pending_tasks().await;
        self.catalogs.weighted_size() + self.tag_lists.weighted_size()
    }

    /// Drops every list, for every user (another replica's notices may have
    /// been missed).
    pub fn invalidate_all(&self) {
        self.tag_lists.invalidate_all();
        self.catalogs.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize) -> TagList {
        TagList {
            repository: "r".into(),
            pull_host: "h".into(),
            rows: Vec::new(),
            skipped: n,
            now: 0,
            checked: 0,
        }
    }

    /// A visitor who gives up does not cancel the load: it fills the cache.
    #[tokio::test]
    async fn a_load_outlives_the_request_that_started_it() {
        let cache = ListCache::new(Duration::from_secs(60), 1 << 20);
        let slow = async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Ok(list(7))
        };
        let gave_up =
            tokio::time::timeout(Duration::from_millis(20), cache.tag_list("u", "r", slow)).await;
        assert!(gave_up.is_err());
        tokio::time::sleep(Duration::from_millis(400)).await;
        let never = async { Err(AppError::Internal("must not run".into())) };
        let hit = cache
            .tag_list("u", "r", never)
            .await
            .expect("filled in the background");
        assert_eq!(hit.skipped, 7);
    }
}
