//! `/storage`: where the disk space goes. The index's graph (tags →
//! manifests → configs and layers, through indexes) is read once into
//! memory per change of the index, and each reader's report is cut from
//! it: totals of unique blobs, per repository the exclusive and shared
//! part, the largest layers with their users, and growth over time.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::model::Role;
use crate::model::{
    GrowthPoint, LayerUse, RepoStorage, StorageReport, STORAGE_MAX_LAYERS,
    STORAGE_MAX_REPOSITORIES, STORAGE_MAX_USERS,
};
use crate::server::session::Caller;
use crate::server::state::AppState;
use crate::store::index_storage::{IndexFingerprint, ReachRow};
use crate::store::Database;

/// A graph older than this is read again even if the index looks the same
/// (a fingerprint can miss a change that keeps every count and sum).
const MAX_AGE: Duration = Duration::from_secs(600);
/// Points on the growth line, at most.
const MAX_POINTS: usize = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum BlobRole {
    Manifest,
    Config,
    Layer,
}

#[derive(Debug)]
struct Blob {
    digest: String,
    size: u64,
    role: BlobRole,
    /// (repository, when it first appeared there).
    users: Vec<(u32, i64)>,
}

/// Every blob the index's tags reach, with the repositories reaching it.
#[derive(Debug, Default)]
pub struct StorageGraph {
    repos: Vec<String>,
    tags: Vec<u64>,
    blobs: Vec<Blob>,
}

impl StorageGraph {
    pub fn build(rows: Vec<ReachRow>, tag_counts: Vec<(String, i64)>) -> Self {
        let mut repo_ids: HashMap<String, u32> = HashMap::new();
        let mut graph = StorageGraph::default();
        let mut repo_id = |graph: &mut StorageGraph, name: String| -> u32 {
            *repo_ids.entry(name).or_insert_with_key(|name| {
                graph.repos.push(name.clone());
                graph.tags.push(0);
                (graph.repos.len() - 1) as u32
            })
        };
        for (name, n) in tag_counts {
            let id = repo_id(&mut graph, name);
            graph.tags[id as usize] = u64::try_from(n).unwrap_or(0);
        }
        let mut blob_ids: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let repo = repo_id(&mut graph, row.repository);
            let role = match row.role.as_str() {
                "config" => BlobRole::Config,
                "layer" => BlobRole::Layer,
                _ => BlobRole::Manifest,
            };
            let size = u64::try_from(row.size).unwrap_or(0);
            let id = *blob_ids.entry(row.digest).or_insert_with_key(|digest| {
                graph.blobs.push(Blob {
                    digest: digest.clone(),
                    size,
                    role,
                    users: Vec::new(),
                });
                graph.blobs.len() - 1
            });
            let blob = &mut graph.blobs[id];
            // A descriptor may state a size the blob does not have; the
            // largest is what the disk could hold.
            blob.size = blob.size.max(size);
            blob.role = blob.role.max(role);
            blob.users.push((repo, row.since_ms));
        }
        graph
    }

    pub fn repositories(&self) -> &[String] {
        &self.repos
    }

    /// The report for a reader who sees `visible` (all when `None`).
    pub fn report(&self, visible: Option<&HashSet<String>>) -> StorageReport {
        let shown: Vec<bool> = self
            .repos
            .iter()
            .map(|r| visible.is_none_or(|v| v.contains(r)))
            .collect();
        let mut per_repo: Vec<RepoStorage> = self
            .repos
            .iter()
            .zip(&self.tags)
            .map(|(name, tags)| RepoStorage {
                name: name.clone(),
                tags: *tags,
                ..Default::default()
            })
            .collect();
        let mut report = StorageReport::default();
        let mut appeared: Vec<(i64, u64)> = Vec::new();
        let mut layers: Vec<&Blob> = Vec::new();
        for blob in &self.blobs {
            let mut first: Option<i64> = None;
            for &(repo, since) in &blob.users {
                if !shown[repo as usize] {
                    continue;
                }
                first = Some(first.map_or(since, |f| f.min(since)));
                let r = &mut per_repo[repo as usize];
                r.total += blob.size;
                // Exclusive across the whole registry, seen or not: it is
                // what a delete of the repository would free.
                if blob.users.iter().all(|(other, _)| *other == repo) {
                    r.exclusive += blob.size;
                }
            }
            let Some(first) = first else { continue };
            report.total_bytes += blob.size;
            report.blobs += 1;
            appeared.push((first, blob.size));
            if blob.role == BlobRole::Layer {
                layers.push(blob);
            }
        }
        let mut repos: Vec<RepoStorage> = per_repo
            .into_iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(mut r, _)| {
                r.shared = r.total - r.exclusive;
                r
            })
            .collect();
        report.repository_count = repos.len() as u64;
        report.tags = repos.iter().map(|r| r.tags).sum();
        repos.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
        repos.truncate(STORAGE_MAX_REPOSITORIES);
        report.repositories = repos;
        layers.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.digest.cmp(&b.digest)));
        report.largest_layers = layers
            .into_iter()
            .take(STORAGE_MAX_LAYERS)
            .map(|b| {
                let mut names: Vec<&String> = b
                    .users
                    .iter()
                    .filter(|(r, _)| shown[*r as usize])
                    .map(|(r, _)| &self.repos[*r as usize])
                    .collect();
                names.sort();
                names.dedup();
                let more = names.len().saturating_sub(STORAGE_MAX_USERS) as u64;
                LayerUse {
                    digest: b.digest.clone(),
                    size: b.size,
                    repositories: names.into_iter().take(STORAGE_MAX_USERS).cloned().collect(),
                    more,
                }
            })
            .collect();
        report.growth = growth(appeared);
        report
    }
}

/// Cumulative bytes by when each blob appeared, thinned to at most
/// [`MAX_POINTS`] points (the last one always kept).
fn growth(mut appeared: Vec<(i64, u64)>) -> Vec<GrowthPoint> {
    appeared.sort_unstable();
    let mut points: Vec<GrowthPoint> = Vec::new();
    let mut bytes = 0u64;
    for (at, size) in appeared {
        bytes += size;
        match points.last_mut() {
            Some(p) if p.at == at => p.bytes = bytes,
            _ => points.push(GrowthPoint { at, bytes }),
        }
    }
    if points.len() <= MAX_POINTS {
        return points;
    }
    let step = points.len().div_ceil(MAX_POINTS);
    let last = *points.last().expect("not empty");
    let mut thin: Vec<GrowthPoint> = points.into_iter().step_by(step).collect();
    if thin.last() != Some(&last) {
        thin.push(last);
    }
    thin
}

/// The graph as last read: what the index looked like then, and the
/// whole-registry report cut from it (admins all read the same one).
struct Cached {
    fingerprint: IndexFingerprint,
    read_at: Instant,
    /// When the fingerprint was last compared with the index.
    checked_at: Instant,
    graph: Arc<StorageGraph>,
    whole: Arc<StorageReport>,
}

/// How long a graph is used without even asking whether the index
/// changed: the landing page asks on every visit.
const RECHECK: Duration = Duration::from_secs(2);

/// The graph as last read, shared with the task that reads a new one.
#[derive(Default)]
pub struct StorageCache {
    inner: Arc<tokio::sync::Mutex<Option<Cached>>>,
    /// A newer graph is being read in the background.
    refreshing: Arc<std::sync::atomic::AtomicBool>,
}

impl StorageCache {
    /// The graph of the index and its whole-registry report. While the
    /// index is unchanged, the cached ones. Once it has changed, still the
    /// cached ones (behind by as long as the read takes) while a new graph
    /// is read in the background: on a large registry that takes seconds, and
    /// the landing page must not wait for it after every push. Only the
    /// first call, with nothing cached, waits.
    pub async fn graph(
        &self,
        db: &Database,
    ) -> Result<(Arc<StorageGraph>, Arc<StorageReport>), String> {
        let mut cached = self.inner.lock().await;
        if let Some(c) = cached.as_mut() {
            let fresh = c.checked_at.elapsed() < RECHECK
                || (c.read_at.elapsed() < MAX_AGE
                    && db.index_fingerprint().await? == c.fingerprint);
            c.checked_at = Instant::now();
            if !fresh {
                self.refresh_in_background(db);
            }
            return Ok((c.graph.clone(), c.whole.clone()));
        }
        let read = read_graph(db).await?;
        let out = (read.graph.clone(), read.whole.clone());
        *cached = Some(read);
        Ok(out)
    }

    fn refresh_in_background(&self, db: &Database) {
        use std::sync::atomic::Ordering;
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let (inner, refreshing, db) = (self.inner.clone(), self.refreshing.clone(), db.clone());
        tokio::spawn(async move {
            match read_graph(&db).await {
                Ok(read) => *inner.lock().await = Some(read),
                Err(e) => tracing::warn!(error = %e, "reading the index for storage failed"),
            }
            refreshing.store(false, Ordering::Release);
        });
    }
}

/// Reads the whole graph and cuts the whole-registry report from it.
async fn read_graph(db: &Database) -> Result<Cached, String> {
    let fingerprint = db.index_fingerprint().await?;
    let (rows, tags) = tokio::try_join!(db.index_reach(), db.index_tag_counts())?;
    let graph = Arc::new(StorageGraph::build(rows, tags));
    let whole = Arc::new(graph.report(None));
    let now = Instant::now();
    Ok(Cached {
        fingerprint,
        read_at: now,
        checked_at: now,
        graph,
        whole,
    })
}

/// The storage report `caller` may see: every repository for admins, else
/// only those their own credentials can read.
pub async fn report(state: &AppState, caller: &Caller) -> Result<StorageReport, AppError> {
    let db = state.database();
    let (graph, whole) = state.indexer().storage().graph(db).await.map_err(|e| {
        tracing::error!(error = %e, "reading the index for storage failed");
        AppError::Unavailable(crate::t!("storage-error-index"))
    })?;
    let admin = caller.viewer.role == Role::Admin;
    let mut report = if admin {
        StorageReport::clone(&whole)
    } else {
        let (readable, unchecked) = super::visibility::readable_counted(
            state,
            &caller.credentials,
            graph.repositories().iter().cloned(),
        )
        .await?;
        let readable: HashSet<String> = readable.into_iter().collect();
        let mut own = graph.report(Some(&readable));
        own.unchecked = unchecked;
        own
    };
    report.whole_registry = admin;
    report.index_enabled = state.indexer().enabled();
    report.synced_ms = last_sync_ms(db).await;
    report.now = crate::server::clock::now();
    Ok(report)
}

/// When the last full sync finished (Unix ms), 0 for never.
pub async fn last_sync_ms(db: &Database) -> i64 {
    db.index_recent_syncs(1)
        .await
        .ok()
        .and_then(|r| r.into_iter().next())
        .map_or(0, |r| r.finished_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(repo: &str, digest: &str, role: &str, size: i64, since: i64) -> ReachRow {
        ReachRow {
            repository: repo.into(),
            digest: digest.into(),
            role: role.into(),
            size,
            since_ms: since,
        }
    }

    /// Three images in three repositories sharing two layers, and an
    /// index in a fourth over one of them.
    fn graph() -> StorageGraph {
        let rows = vec![
            row("a", "m1", "manifest", 10, 1_000),
            row("a", "base", "layer", 1_000, 1_000),
            row("a", "lib", "layer", 300, 1_000),
            row("a", "own-a", "layer", 50, 1_000),
            row("b", "m2", "manifest", 10, 2_000),
            row("b", "base", "layer", 1_000, 2_000),
            row("b", "lib", "layer", 300, 2_000),
            row("c", "m3", "manifest", 10, 3_000),
            row("c", "base", "layer", 1_000, 3_000),
            row("c", "own-c", "layer", 70, 3_000),
            row("d", "idx", "manifest", 5, 4_000),
            row("d", "m3", "manifest", 10, 4_000),
            row("d", "base", "layer", 1_000, 4_000),
            row("d", "own-c", "layer", 70, 4_000),
        ];
        let tags = vec![
            ("a".into(), 2),
            ("b".into(), 1),
            ("c".into(), 1),
            ("d".into(), 1),
        ];
        StorageGraph::build(rows, tags)
    }

    fn repo<'a>(r: &'a StorageReport, name: &str) -> &'a RepoStorage {
        r.repositories.iter().find(|x| x.name == name).unwrap()
    }

    #[test]
    fn exclusive_and_shared_split_by_repository() {
        let r = graph().report(None);
        // Unique: m1 m2 m3 idx base lib own-a own-c.
        assert_eq!(r.total_bytes, 10 + 10 + 10 + 5 + 1_000 + 300 + 50 + 70);
        assert_eq!(r.blobs, 8);
        assert_eq!(r.tags, 5);
        let a = repo(&r, "a");
        assert_eq!((a.total, a.exclusive, a.shared), (1_360, 60, 1_300));
        let b = repo(&r, "b");
        assert_eq!((b.total, b.exclusive, b.shared), (1_310, 10, 1_300));
        // c's image is also d's index child: nothing of c is its own.
        let c = repo(&r, "c");
        assert_eq!((c.total, c.exclusive), (1_080, 0));
        let d = repo(&r, "d");
        assert_eq!((d.total, d.exclusive), (1_085, 5));
        assert_eq!(r.repositories[0].name, "a", "largest first");
        assert_eq!(r.largest_layers[0].digest, "base");
        assert_eq!(r.largest_layers[0].repositories, ["a", "b", "c", "d"]);
        assert_eq!(r.largest_layers.len(), 4, "manifests are not layers");
    }

    #[test]
    fn a_reader_sees_only_their_repositories_but_exclusive_stays_registry_wide() {
        let visible: HashSet<String> = ["b".to_string()].into();
        let r = graph().report(Some(&visible));
        assert_eq!(r.repository_count, 1);
        assert_eq!(r.total_bytes, 1_310);
        let b = repo(&r, "b");
        assert_eq!((b.exclusive, b.shared), (10, 1_300));
        assert_eq!(r.largest_layers[0].repositories, ["b"]);
        assert!(
            r.largest_layers.iter().all(|l| l.repositories == ["b"]),
            "no other repository is named"
        );
    }

    #[test]
    fn growth_is_cumulative_by_first_appearance() {
        let r = graph().report(None);
        let points: Vec<(i64, u64)> = r.growth.iter().map(|p| (p.at, p.bytes)).collect();
        assert_eq!(
            points,
            [
                (1_000, 1_360),
                (2_000, 1_370),
                (3_000, 1_450),
                (4_000, 1_455)
            ]
        );
    }

    #[test]
    fn growth_is_thinned_and_keeps_the_last_point() {
        let appeared: Vec<(i64, u64)> = (0..1_000).map(|i| (i, 1)).collect();
        let g = growth(appeared);
        assert!(g.len() <= MAX_POINTS + 1, "{}", g.len());
        assert_eq!(
            g.last(),
            Some(&GrowthPoint {
                at: 999,
                bytes: 1_000
            })
        );
        assert_eq!(g[0], GrowthPoint { at: 0, bytes: 1 });
    }
}
