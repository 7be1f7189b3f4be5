//! The registry index's tables: repositories, tags (→ digest), manifests by
//! digest with what they reference (blobs and index children) and their
//! labels, and a record of each full sync.
//!
//! Plain data in, plain data out: the index sync (`src/index/`) decides
//! what to write. One SQL text serves both dialects.

use std::collections::{HashMap, HashSet};

use sqlx::FromRow;

use super::database::Database;

/// What a manifest is, as the index files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A runnable single-platform image.
    Image,
    /// A multi-platform index (or Docker manifest list).
    Index,
    /// A Helm chart, an SBOM pushed as an artifact, any non-image config.
    Artifact,
    /// A cosign or Notation signature.
    Signature,
    /// An in-toto attestation (buildx provenance, cosign attest).
    Attestation,
    /// Docker schema 1.
    Legacy,
    /// A media type Berth does not interpret.
    Other,
}

impl IndexKind {
    pub const ALL: [IndexKind; 7] = [
        IndexKind::Image,
        IndexKind::Index,
        IndexKind::Artifact,
        IndexKind::Signature,
        IndexKind::Attestation,
        IndexKind::Legacy,
        IndexKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IndexKind::Image => "image",
            IndexKind::Index => "index",
            IndexKind::Artifact => "artifact",
            IndexKind::Signature => "signature",
            IndexKind::Attestation => "attestation",
            IndexKind::Legacy => "legacy",
            IndexKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an edge of the manifest graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeRole {
    Config,
    Layer,
    /// A platform manifest of an index.
    Manifest,
    /// A buildx attestation manifest inside an index.
    Attestation,
}

impl EdgeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeRole::Config => "config",
            EdgeRole::Layer => "layer",
            EdgeRole::Manifest => "manifest",
            EdgeRole::Attestation => "attestation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EdgeRole::Config,
            EdgeRole::Layer,
            EdgeRole::Manifest,
            EdgeRole::Attestation,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// Blobs, as opposed to manifests.
    pub fn is_blob(self) -> bool {
        matches!(self, EdgeRole::Config | EdgeRole::Layer)
    }
}

/// One manifest, described once for the whole registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedManifest {
    pub digest: String,
    pub media_type: String,
    pub kind: IndexKind,
    /// Length of the manifest's own bytes.
    pub bytes: u64,
    /// Config plus layers as stated (images and artifacts).
    pub size: Option<u64>,
    /// The config's `created`, Unix seconds.
    pub created: Option<i64>,
    /// `os/arch[/variant]` of an image, from its config.
    pub platform: String,
    pub artifact: String,
    pub artifact_type: String,
    pub subject: String,
    pub edges: Vec<IndexEdge>,
    pub labels: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEdge {
    pub child: String,
    pub role: EdgeRole,
    pub size: u64,
    pub platform: String,
    pub about: String,
}

/// One tag as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IndexedTag {
    pub tag: String,
    pub digest: String,
    pub since_ms: i64,
    pub checked_ms: i64,
}

/// How a repository's tags changed when its list was replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagChanges {
    pub added: u64,
    pub moved: u64,
    pub removed: u64,
}

impl TagChanges {
    pub fn any(self) -> bool {
        self.added + self.moved + self.removed > 0
    }
}

/// Totals of the index, for the registry page and `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexCounts {
    pub repositories: u64,
    pub tags: u64,
    pub manifests: u64,
    /// Distinct config and layer blobs.
    pub blobs: u64,
    /// Their bytes, each blob counted once.
    pub blob_bytes: u64,
}

/// One full sync, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct SyncRecord {
    pub started_ms: i64,
    pub finished_ms: i64,
    pub repositories: i64,
    pub tags: i64,
    /// Manifests fetched and described (the ones the index lacked).
    pub fetched: i64,
    /// Registry requests the sync made.
    pub requests: i64,
    /// Empty when it finished; else why it stopped.
    pub error: String,
}

/// The advisory lock key of the index sync ("berth-ix" in ASCII).
const SYNC_LOCK: i64 = 0x6265_7274_682d_6978;

/// Held while a sync runs; see `Database::sync_lease`.
pub struct SyncLease(Option<sqlx::postgres::PgConnection>);

impl SyncLease {
    pub async fn release(self) {
        if let Some(mut conn) = self.0 {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(SYNC_LOCK)
                .execute(&mut conn)
                .await;
            // Closing ends the session, and any lock it still held.
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

#[derive(FromRow)]
struct StoredManifest {
    digest: String,
    media_type: String,
    kind: String,
    bytes: i64,
    size: Option<i64>,
    created: Option<i64>,
    platform: String,
    artifact: String,
    artifact_type: String,
    subject: String,
}

#[derive(FromRow)]
struct StoredEdge {
    parent: String,
    child: String,
    role: String,
    size: i64,
    platform: String,
    about: String,
}

pub(super) fn err(e: sqlx::Error) -> String {
    e.to_string()
}

/// Sizes are the registry's words; the database keeps signed 64-bit.
fn stored(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn read(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Database {
    /// Every manifest digest the index has described.
    pub async fn index_manifest_digests(&self) -> Result<HashSet<String>, String> {
        let rows: Vec<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT digest FROM index_manifests"
        )
        .fetch_all(pool)
        .await)
        .map_err(err)?;
        Ok(rows.into_iter().collect())
    }

    pub async fn index_has_manifest(&self, digest: &str) -> Result<bool, String> {
        let found: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM index_manifests WHERE digest = $1"
        )
        .bind(digest)
        .fetch_optional(pool)
        .await)
        .map_err(err)?;
        Ok(found.is_some())
    }

    /// The right to run a full sync. With SQLite there is one process, so
    /// it is always given; with PostgreSQL one replica at a time holds it
    /// (a session advisory lock on a connection of its own, which the
    /// server releases by itself if the replica dies).
    pub async fn sync_lease(&self) -> Result<Option<SyncLease>, String> {
        match self {
            Database::Sqlite(_) => Ok(Some(SyncLease(None))),
            Database::Postgres(pool) => {
                let mut conn = pool.acquire().await.map_err(err)?;
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(SYNC_LOCK)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(err)?;
                // Out of the pool: if the lease is dropped without release
                // (a panic), the connection closes and the lock goes with it.
                Ok(got.then(|| SyncLease(Some(conn.detach()))))
            }
        }
    }

    /// Stores a manifest with its edges and labels. Content never changes
    /// under a digest, so a second write of one is a no-op.
    pub async fn index_put_manifest(&self, m: &IndexedManifest) -> Result<(), String> {
        let now = chrono::Utc::now().timestamp_millis();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await.map_err(err)?;
            let inserted = sqlx::query(
                "INSERT INTO index_manifests (digest, media_type, kind, bytes, size, created, platform, artifact, artifact_type, subject, indexed_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (digest) DO NOTHING",
            )
            .bind(&m.digest)
            .bind(&m.media_type)
            .bind(m.kind.as_str())
            .bind(stored(m.bytes))
            .bind(m.size.map(stored))
            .bind(m.created)
            .bind(&m.platform)
            .bind(&m.artifact)
            .bind(&m.artifact_type)
            .bind(&m.subject)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(err)?
            .rows_affected()
                == 1;
            if inserted {
                for (position, e) in m.edges.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO index_edges (parent, position, child, role, size, platform, about) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (parent, position) DO NOTHING",
                    )
                    .bind(&m.digest)
                    .bind(position as i64)
                    .bind(&e.child)
                    .bind(e.role.as_str())
                    .bind(stored(e.size))
                    .bind(&e.platform)
                    .bind(&e.about)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                }
                for (key, value) in &m.labels {
                    sqlx::query(
                        "INSERT INTO index_labels (digest, key, value) VALUES ($1, $2, $3) \
                         ON CONFLICT (digest, key) DO NOTHING",
                    )
                    .bind(&m.digest)
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                }
                // What search finds it by (src/store/index_facts.rs): its
                // own facts; an index's images' labels, for those described
                // before it; its labels on the indexes described before it.
                const OWN: &str = "INSERT INTO index_facts (fact, digest) VALUES ($1, $2) \
                     ON CONFLICT (fact, digest) DO NOTHING";
                const UP: &str = "INSERT INTO index_facts (fact, digest) \
                     SELECT DISTINCT CAST($1 AS TEXT), parent FROM index_edges \
                     WHERE child = $2 AND role = 'manifest' \
                     ON CONFLICT (fact, digest) DO NOTHING";
                let own = super::index_facts::own_facts(m)
                    .into_iter()
                    .map(|f| (OWN, f));
                let up = super::index_facts::passed_up(m)
                    .into_iter()
                    .map(|f| (UP, f));
                for (sql, fact) in own.chain(up) {
                    sqlx::query(sql)
                        .bind(&fact)
                        .bind(&m.digest)
                        .execute(&mut *tx)
                        .await
                        .map_err(err)?;
                }
                if m.kind == IndexKind::Index {
                    for fact in ["'label:' || l.key || '=' || l.value", "'label:' || l.key"] {
                        sqlx::query(&format!(
                            "INSERT INTO index_facts (fact, digest) \
                             SELECT DISTINCT {fact}, e.parent FROM index_edges e \
                             JOIN index_labels l ON l.digest = e.child \
                             WHERE e.parent = $1 AND e.role = 'manifest' AND length({fact}) <= {max} \
                             ON CONFLICT (fact, digest) DO NOTHING",
                            max = super::index_facts::MAX_FACT_CHARS
                        ))
                        .bind(&m.digest)
                        .execute(&mut *tx)
                        .await
                        .map_err(err)?;
                    }
                }
            }
            tx.commit().await.map_err(err)
        })
    }

    /// One manifest with its edges and labels, if described.
    pub async fn index_manifest(&self, digest: &str) -> Result<Option<IndexedManifest>, String> {
        let found: Option<StoredManifest> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT digest, media_type, kind, bytes, size, created, platform, artifact, artifact_type, subject \
             FROM index_manifests WHERE digest = $1"
        )
        .bind(digest)
        .fetch_optional(pool)
        .await)
        .map_err(err)?;
        let Some(m) = found else { return Ok(None) };
        let mut edges = self.index_edges_of(&[digest.to_string()]).await?;
        let labels: Vec<(String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT key, value FROM index_labels WHERE digest = $1 ORDER BY key"
        )
        .bind(digest)
        .fetch_all(pool)
        .await)
        .map_err(err)?;
        Ok(Some(IndexedManifest {
            kind: IndexKind::parse(&m.kind).unwrap_or(IndexKind::Other),
            digest: m.digest,
            media_type: m.media_type,
            bytes: read(m.bytes),
            size: m.size.map(read),
            created: m.created,
            platform: m.platform,
            artifact: m.artifact,
            artifact_type: m.artifact_type,
            subject: m.subject,
            edges: edges.remove(digest).unwrap_or_default(),
            labels,
        }))
    }

    /// The edges of each of `parents`, in manifest order.
    pub async fn index_edges_of(
        &self,
        parents: &[String],
    ) -> Result<HashMap<String, Vec<IndexEdge>>, String> {
        let mut out: HashMap<String, Vec<IndexEdge>> = HashMap::new();
        for parent in parents {
            let rows: Vec<StoredEdge> = on_pool!(self, |pool| sqlx::query_as(
                "SELECT parent, child, role, size, platform, about FROM index_edges \
                 WHERE parent = $1 ORDER BY position"
            )
            .bind(parent)
            .fetch_all(pool)
            .await)
            .map_err(err)?;
            for e in rows {
                let Some(role) = EdgeRole::parse(&e.role) else {
                    continue;
                };
                out.entry(e.parent).or_default().push(IndexEdge {
                    child: e.child,
                    role,
                    size: read(e.size),
                    platform: e.platform,
                    about: e.about,
                });
            }
        }
        Ok(out)
    }

    /// Replaces what the index holds for `repository`'s tags with `tags`
    /// (tag, digest), as the registry just listed them (`skipped`: names it
    /// listed that are not valid tags). A tag new or moved since the last
    /// look starts its `since` now.
    pub async fn index_set_tags(
        &self,
        repository: &str,
        tags: &[(String, String)],
        skipped: i64,
        now_ms: i64,
    ) -> Result<TagChanges, String> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await.map_err(err)?;
            sqlx::query(
                "INSERT INTO index_repositories (name, listed_ms, skipped) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET listed_ms = excluded.listed_ms, skipped = excluded.skipped",
            )
            .bind(repository)
            .bind(now_ms)
            .bind(skipped)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let before: Vec<(String, String)> =
                sqlx::query_as("SELECT tag, digest FROM index_tags WHERE repository = $1")
                    .bind(repository)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(err)?;
            let before: HashMap<String, String> = before.into_iter().collect();
            let now: HashMap<&str, &str> =
                tags.iter().map(|(t, d)| (t.as_str(), d.as_str())).collect();
            let mut changes = TagChanges::default();
            for tag in before.keys().filter(|t| !now.contains_key(t.as_str())) {
                sqlx::query("DELETE FROM index_tags WHERE repository = $1 AND tag = $2")
                    .bind(repository)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                changes.removed += 1;
            }
            for (tag, digest) in &now {
                match before.get(*tag) {
                    Some(old) if old == digest => continue,
                    Some(_) => changes.moved += 1,
                    None => changes.added += 1,
                }
                sqlx::query(
                    "INSERT INTO index_tags (repository, tag, digest, since_ms, checked_ms) VALUES ($1, $2, $3, $4, $4) \
                     ON CONFLICT (repository, tag) DO UPDATE SET digest = excluded.digest, \
                     since_ms = excluded.since_ms, checked_ms = excluded.checked_ms",
                )
                .bind(repository)
                .bind(*tag)
                .bind(*digest)
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            }
            sqlx::query("UPDATE index_tags SET checked_ms = $2 WHERE repository = $1")
                .bind(repository)
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            tx.commit().await.map_err(err)?;
            Ok(changes)
        })
    }

    /// One tag now points at `digest` (a push the registry told of).
    pub async fn index_put_tag(
        &self,
        repository: &str,
        tag: &str,
        digest: &str,
        at_ms: i64,
    ) -> Result<(), String> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await.map_err(err)?;
            // A repository first seen through an event has no list read yet.
            sqlx::query(
                "INSERT INTO index_repositories (name, listed_ms) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
            )
            .bind(repository)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            sqlx::query(
                "INSERT INTO index_tags (repository, tag, digest, since_ms, checked_ms) VALUES ($1, $2, $3, $4, $4) \
                 ON CONFLICT (repository, tag) DO UPDATE SET \
                 since_ms = CASE WHEN index_tags.digest = excluded.digest THEN index_tags.since_ms ELSE excluded.since_ms END, \
                 digest = excluded.digest, checked_ms = excluded.checked_ms",
            )
            .bind(repository)
            .bind(tag)
            .bind(digest)
            .bind(at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            tx.commit().await.map_err(err)
        })
    }

    /// Drops every tag of `repository` that points at `digest` (a manifest
    /// deleted by digest takes all its tags with it); returns how many.
    pub async fn index_drop_digest(&self, repository: &str, digest: &str) -> Result<u64, String> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM index_tags WHERE repository = $1 AND digest = $2"
        )
        .bind(repository)
        .bind(digest)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(err)
    }

    /// Drops one tag (a tag deleted alone).
    pub async fn index_drop_tag(&self, repository: &str, tag: &str) -> Result<u64, String> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM index_tags WHERE repository = $1 AND tag = $2"
        )
        .bind(repository)
        .bind(tag)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(err)
    }

    /// Notes whether the manifest `digest` is present in `repository` (an
    /// index's child can be deleted from one repository and not another).
    pub async fn index_set_missing(
        &self,
        repository: &str,
        digest: &str,
        missing: bool,
    ) -> Result<(), String> {
        let sql = if missing {
            "INSERT INTO index_missing (repository, digest) VALUES ($1, $2) ON CONFLICT (repository, digest) DO NOTHING"
        } else {
            "DELETE FROM index_missing WHERE repository = $1 AND digest = $2"
        };
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(repository)
            .bind(digest)
            .execute(pool)
            .await
            .map(drop))
        .map_err(err)
    }

    /// Forgets repositories the catalog no longer lists, with their tags;
    /// returns how many went.
    pub async fn index_keep_repositories(&self, listed: &HashSet<String>) -> Result<u64, String> {
        let known: Vec<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT name FROM index_repositories"
        )
        .fetch_all(pool)
        .await)
        .map_err(err)?;
        let mut gone = 0;
        for name in known.iter().filter(|n| !listed.contains(*n)) {
            on_pool!(self, |pool| {
                let mut tx = pool.begin().await.map_err(err)?;
                sqlx::query("DELETE FROM index_tags WHERE repository = $1")
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                sqlx::query("DELETE FROM index_missing WHERE repository = $1")
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                sqlx::query("DELETE FROM index_repositories WHERE name = $1")
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                tx.commit().await.map_err(err)
            })?;
            gone += 1;
        }
        Ok(gone)
    }

    /// The repositories the index holds, by name.
    pub async fn index_repositories(&self) -> Result<Vec<String>, String> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT name FROM index_repositories ORDER BY name"
        )
        .fetch_all(pool)
        .await)
        .map_err(err)
    }

    /// Whether the index holds `repository` (with tags or without).
    pub async fn index_holds_repository(&self, repository: &str) -> Result<bool, String> {
        on_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM index_repositories WHERE name = $1"
        )
        .bind(repository)
        .fetch_one(pool)
        .await)
        .map(|n| n > 0)
        .map_err(err)
    }

    /// A repository's tags as the index holds them, by tag.
    pub async fn index_tags_of(&self, repository: &str) -> Result<Vec<IndexedTag>, String> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT tag, digest, since_ms, checked_ms FROM index_tags WHERE repository = $1 ORDER BY tag"
        )
        .bind(repository)
        .fetch_all(pool)
        .await)
        .map_err(err)
    }

    pub async fn index_counts(&self) -> Result<IndexCounts, String> {
        let (repositories, tags, manifests): (i64, i64, i64) = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM index_repositories), (SELECT COUNT(*) FROM index_tags), \
             (SELECT COUNT(*) FROM index_manifests)"
        )
        .fetch_one(pool)
        .await
        })
        .map_err(err)?;
        let (blobs, blob_bytes): (i64, Option<i64>) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*), CAST(SUM(size) AS BIGINT) FROM \
             (SELECT child, MAX(size) AS size FROM index_edges WHERE role IN ('config', 'layer') GROUP BY child) AS blobs"
        )
        .fetch_one(pool)
        .await)
        .map_err(err)?;
        Ok(IndexCounts {
            repositories: read(repositories),
            tags: read(tags),
            manifests: read(manifests),
            blobs: read(blobs),
            blob_bytes: read(blob_bytes.unwrap_or(0)),
        })
    }

    pub async fn index_record_sync(&self, run: &SyncRecord) -> Result<(), String> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO index_syncs (started_ms, finished_ms, repositories, tags, fetched, requests, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(run.started_ms)
        .bind(run.finished_ms)
        .bind(run.repositories)
        .bind(run.tags)
        .bind(run.fetched)
        .bind(run.requests)
        .bind(&run.error)
        .execute(pool)
        .await
        .map(drop))
        .map_err(err)
    }

    /// The newest recorded syncs, newest first.
    pub async fn index_recent_syncs(&self, limit: i64) -> Result<Vec<SyncRecord>, String> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT started_ms, finished_ms, repositories, tags, fetched, requests, error \
             FROM index_syncs ORDER BY id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::database::temp_database;

    fn image(digest: &str, layers: &[(&str, u64)]) -> IndexedManifest {
        let mut edges = vec![IndexEdge {
            child: format!("{digest}-config"),
            role: EdgeRole::Config,
            size: 100,
            platform: String::new(),
            about: String::new(),
        }];
        edges.extend(layers.iter().map(|(d, size)| IndexEdge {
            child: d.to_string(),
            role: EdgeRole::Layer,
            size: *size,
            platform: String::new(),
            about: String::new(),
        }));
        IndexedManifest {
            digest: digest.into(),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            kind: IndexKind::Image,
            bytes: 500,
            size: Some(100 + layers.iter().map(|l| l.1).sum::<u64>()),
            created: Some(1_700_000_000),
            platform: "linux/amd64".into(),
            artifact: String::new(),
            artifact_type: String::new(),
            subject: String::new(),
            edges,
            labels: vec![("org.opencontainers.image.title".into(), "app".into())],
        }
    }

    #[tokio::test]
    async fn manifests_round_trip_and_are_written_once() {
        let (_dir, db) = temp_database().await;
        let m = image("sha256:aa", &[("sha256:l1", 1000), ("sha256:l2", 2000)]);
        db.index_put_manifest(&m).await.unwrap();
        // A second, different write under the same digest changes nothing.
        let mut other = m.clone();
        other.platform = "linux/arm64".into();
        db.index_put_manifest(&other).await.unwrap();
        assert_eq!(db.index_manifest("sha256:aa").await.unwrap(), Some(m));
        assert_eq!(db.index_manifest("sha256:zz").await.unwrap(), None);
        assert_eq!(
            db.index_manifest_digests().await.unwrap(),
            HashSet::from(["sha256:aa".to_string()])
        );
    }

    #[tokio::test]
    async fn a_tag_list_replaces_the_last_and_says_what_moved() {
        let (_dir, db) = temp_database().await;
        let tags = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(t, d)| (t.to_string(), d.to_string()))
                .collect()
        };
        let first = db
            .index_set_tags(
                "app",
                &tags(&[("1.0", "sha256:a"), ("2.0", "sha256:b")]),
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!(
            first,
            TagChanges {
                added: 2,
                moved: 0,
                removed: 0
            }
        );
        let second = db
            .index_set_tags(
                "app",
                &tags(&[("2.0", "sha256:c"), ("3.0", "sha256:d")]),
                0,
                20,
            )
            .await
            .unwrap();
        assert_eq!(
            second,
            TagChanges {
                added: 1,
                moved: 1,
                removed: 1
            }
        );
        let held = db.index_tags_of("app").await.unwrap();
        assert_eq!(
            held.iter()
                .map(|t| (t.tag.as_str(), t.digest.as_str(), t.since_ms, t.checked_ms))
                .collect::<Vec<_>>(),
            vec![("2.0", "sha256:c", 20, 20), ("3.0", "sha256:d", 20, 20)]
        );
        // Unchanged tags keep their `since`, and are checked again.
        db.index_set_tags("app", &tags(&[("2.0", "sha256:c")]), 0, 30)
            .await
            .unwrap();
        let held = db.index_tags_of("app").await.unwrap();
        assert_eq!((held[0].since_ms, held[0].checked_ms), (20, 30));
    }

    #[tokio::test]
    async fn events_move_and_drop_tags_and_gone_repositories_are_forgotten() {
        let (_dir, db) = temp_database().await;
        db.index_put_tag("a", "1", "sha256:x", 5).await.unwrap();
        db.index_put_tag("a", "2", "sha256:x", 6).await.unwrap();
        db.index_put_tag("a", "1", "sha256:x", 7).await.unwrap();
        assert_eq!(db.index_tags_of("a").await.unwrap()[0].since_ms, 5);
        db.index_put_tag("b", "1", "sha256:y", 5).await.unwrap();
        assert_eq!(db.index_drop_digest("a", "sha256:x").await.unwrap(), 2);
        assert_eq!(
            db.index_keep_repositories(&HashSet::from(["a".to_string()]))
                .await
                .unwrap(),
            1
        );
        assert_eq!(db.index_repositories().await.unwrap(), vec!["a"]);
        assert!(db.index_tags_of("b").await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn counts_take_each_blob_once() {
        let (_dir, db) = temp_database().await;
        db.index_put_manifest(&image(
            "sha256:a",
            &[("sha256:base", 1000), ("sha256:x", 10)],
        ))
        .await
        .unwrap();
        db.index_put_manifest(&image(
            "sha256:b",
            &[("sha256:base", 1000), ("sha256:y", 20)],
        ))
        .await
        .unwrap();
        db.index_set_tags("r", &[("t".into(), "sha256:a".into())], 0, 1)
            .await
            .unwrap();
        let c = db.index_counts().await.unwrap();
        assert_eq!((c.repositories, c.tags, c.manifests), (1, 1, 2));
        // base once, x, y, and two configs of 100.
        assert_eq!((c.blobs, c.blob_bytes), (5, 1000 + 10 + 20 + 200));
    }
}
