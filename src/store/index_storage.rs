//! Where the registry's disk space goes, as the index sees it: every blob
//! (manifests, configs, layers) each repository reaches from its tags, and
//! which blobs a delete would leave unreferenced.
//!
//! registry:2 stores manifests as blobs too, and its `garbage-collect`
//! keeps every blob some manifest still in a repository references
//! (an index's platform manifests included). The queries here follow the
//! same rules over the index's graph.

use sqlx::FromRow;

use super::database::Database;
use super::index::{err, read};
use super::Bind;

/// One blob one repository reaches: a manifest (a tag's, or an index's
/// child), a config or a layer.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReachRow {
    pub repository: String,
    pub digest: String,
    /// `manifest`, `config` or `layer`.
    pub role: String,
    pub size: i64,
    /// When it first appeared (Unix ms): the image's build time where that
    /// is plausible and earlier, else when Berth first saw a tag of this
    /// repository reach it. Content found by the first sync has no push
    /// time, and a build time is the closest truth about it.
    pub since_ms: i64,
}

/// Changes whenever a tag moves, appears or goes, or a manifest is
/// described: what a cached storage report is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexFingerprint {
    pub tags: i64,
    pub since_sum: i64,
    pub manifests: i64,
    pub edges: i64,
}

/// A tag mapping, newest first on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RecentTag {
    pub repository: String,
    pub tag: String,
    pub digest: String,
    pub since_ms: i64,
}

/// A blob a delete would leave for `garbage-collect` to remove.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct FreedBlob {
    pub digest: String,
    pub size: i64,
}

/// What deleting some manifests would free, and what the index lacks to
/// say so exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frees {
    pub blobs: Vec<FreedBlob>,
    /// Digests to delete that the index has not described: their blobs are
    /// not counted.
    pub undescribed: Vec<String>,
}

impl Frees {
    pub fn bytes(&self) -> u64 {
        self.blobs.iter().map(|b| read(b.size)).sum()
    }
}

/// Tags' manifests, then what they reference, recursively. `UNION` (not
/// `UNION ALL`) drops repeated rows, so even a graph with a cycle in it
/// (a hostile registry's) ends.
const REACH: &str = "WITH RECURSIVE reach(repository, digest, role, size, since_ms) AS ( \
       SELECT t.repository, t.digest, 'manifest', COALESCE(MAX(m.bytes), 0), \
              CASE WHEN MAX(m.created) > 946684800 AND MAX(m.created) * 1000 < MIN(t.since_ms) \
                   THEN MAX(m.created) * 1000 ELSE MIN(t.since_ms) END \
       FROM index_tags t LEFT JOIN index_manifests m ON m.digest = t.digest \
       GROUP BY t.repository, t.digest \
     UNION \
       SELECT r.repository, e.child, \
              CASE WHEN e.role IN ('config', 'layer') THEN e.role ELSE 'manifest' END, \
              e.size, r.since_ms \
       FROM reach r JOIN index_edges e ON e.parent = r.digest \
     ) \
     SELECT repository, digest, MIN(role) AS role, CAST(MAX(size) AS BIGINT) AS size, \
            CAST(MIN(since_ms) AS BIGINT) AS since_ms \
     FROM reach GROUP BY repository, digest";

impl Database {
    /// Every (repository, blob) pair the index's tags reach.
    pub async fn index_reach(&self) -> Result<Vec<ReachRow>, String> {
        on_pool!(self, |pool| sqlx::query_as(REACH).fetch_all(pool).await).map_err(err)
    }

    /// The newest tag mappings (a push Berth was told of, or a tag a sync
    /// found moved), newest first. Ties (a first sync gives every tag the
    /// same time) come in any order: sorting them would read every tag.
    pub async fn index_recent_tags(&self, limit: i64) -> Result<Vec<RecentTag>, String> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT repository, tag, digest, since_ms FROM index_tags ORDER BY since_ms DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(err)
    }

    /// Tags per repository.
    pub async fn index_tag_counts(&self) -> Result<Vec<(String, i64)>, String> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT repository, COUNT(*) FROM index_tags GROUP BY repository"
        )
        .fetch_all(pool)
        .await)
        .map_err(err)
    }

    pub async fn index_fingerprint(&self) -> Result<IndexFingerprint, String> {
        let (tags, since_sum, manifests, edges): (i64, i64, i64, i64) =
            on_pool!(self, |pool| sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM index_tags), \
                        (SELECT CAST(COALESCE(SUM(since_ms), 0) AS BIGINT) FROM index_tags), \
                        (SELECT COUNT(*) FROM index_manifests), \
                        (SELECT COUNT(*) FROM index_edges)"
            )
            .fetch_one(pool)
            .await)
            .map_err(err)?;
        Ok(IndexFingerprint {
            tags,
            since_sum,
            manifests,
            edges,
        })
    }

    /// The blobs `garbage-collect` would remove once `digests` are deleted
    /// from `repository`: each one's manifest, config and layers, unless a
    /// manifest still in the registry reaches them. What stays is any tag
    /// of another repository, another tag's manifest here, and the
    /// platform manifests of a deleted index (a delete by digest leaves
    /// them in the repository).
    pub async fn index_frees(&self, repository: &str, digests: &[String]) -> Result<Frees, String> {
        if digests.is_empty() {
            return Ok(Frees {
                blobs: Vec::new(),
                undescribed: Vec::new(),
            });
        }
        let mut binds = vec![Bind::Text(repository.to_string())];
        let values = digests
            .iter()
            .map(|d| {
                binds.push(Bind::Text(d.clone()));
                format!("(${})", binds.len())
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "WITH RECURSIVE \
             targets(digest) AS (VALUES {values}), \
             children(digest) AS ( \
               SELECT e.child FROM index_edges e \
               WHERE e.parent IN (SELECT digest FROM targets) AND e.role IN ('manifest', 'attestation')), \
             doomed(digest) AS ( \
               SELECT digest FROM targets \
               UNION SELECT e.child FROM doomed d JOIN index_edges e ON e.parent = d.digest \
                     WHERE e.role IN ('config', 'layer')), \
             up(blob, digest) AS ( \
               SELECT digest, digest FROM doomed \
               UNION SELECT u.blob, e.parent FROM up u JOIN index_edges e ON e.child = u.digest) \
             SELECT d.digest, CAST(COALESCE( \
                 (SELECT m.bytes FROM index_manifests m WHERE m.digest = d.digest), \
                 (SELECT MAX(e.size) FROM index_edges e WHERE e.child = d.digest), 0) AS BIGINT) AS size \
             FROM doomed d \
             WHERE NOT EXISTS ( \
               SELECT 1 FROM up u WHERE u.blob = d.digest AND ( \
                 u.digest IN (SELECT digest FROM children) \
                 OR EXISTS (SELECT 1 FROM index_tags t WHERE t.digest = u.digest \
                            AND NOT (t.repository = $1 AND t.digest IN (SELECT digest FROM targets))))) \
             ORDER BY d.digest"
        );
        let blobs: Vec<FreedBlob> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as(&sql),
            std::mem::take(&mut binds)
        )
        .fetch_all(pool)
        .await)
        .map_err(err)?;
        let mut undescribed = Vec::new();
        for d in digests {
            if !self.index_has_manifest(d).await? {
                undescribed.push(d.clone());
            }
        }
        Ok(Frees { blobs, undescribed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::database::temp_database;
    use crate::store::index::{EdgeRole, IndexEdge, IndexKind, IndexedManifest};

    fn edge(child: &str, role: EdgeRole, size: u64) -> IndexEdge {
        IndexEdge {
            child: child.into(),
            role,
            size,
            platform: String::new(),
            about: String::new(),
        }
    }

    fn manifest(digest: &str, kind: IndexKind, edges: Vec<IndexEdge>) -> IndexedManifest {
        IndexedManifest {
            digest: digest.into(),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            kind,
            bytes: 10,
            size: None,
            created: None,
            platform: String::new(),
            artifact: String::new(),
            artifact_type: String::new(),
            subject: String::new(),
            labels: Vec::new(),
            edges,
        }
    }

    fn image(digest: &str, config: &str, layers: &[(&str, u64)]) -> IndexedManifest {
        let mut edges = vec![edge(config, EdgeRole::Config, 1)];
        edges.extend(layers.iter().map(|(d, s)| edge(d, EdgeRole::Layer, *s)));
        manifest(digest, IndexKind::Image, edges)
    }

    /// a/x:1 = m1 (base 1000, app1 100); a/x:2 = m2 (base, app2 200);
    /// b/y:1 = m3 (base, shared 50); c/z:1 = idx → m4 (shared, own 400).
    async fn graph() -> (tempfile::TempDir, Database) {
        let (dir, db) = temp_database().await;
        for m in [
            image("m1", "c1", &[("base", 1000), ("app1", 100)]),
            image("m2", "c2", &[("base", 1000), ("app2", 200)]),
            image("m3", "c3", &[("base", 1000), ("shared", 50)]),
            image("m4", "c4", &[("shared", 50), ("own", 400)]),
            manifest(
                "idx",
                IndexKind::Index,
                vec![edge("m4", EdgeRole::Manifest, 10)],
            ),
        ] {
            db.index_put_manifest(&m).await.unwrap();
        }
        for (repo, tag, digest) in [
            ("a/x", "1", "m1"),
            ("a/x", "2", "m2"),
            ("a/x", "one", "m1"),
            ("b/y", "1", "m3"),
            ("c/z", "1", "idx"),
        ] {
            db.index_put_tag(repo, tag, digest, 1_000).await.unwrap();
        }
        (dir, db)
    }

    fn digests(f: &Frees) -> Vec<&str> {
        f.blobs.iter().map(|b| b.digest.as_str()).collect()
    }

    #[tokio::test]
    async fn reach_follows_tags_through_indexes_to_blobs() {
        let (_dir, db) = graph().await;
        let mut rows: Vec<(String, String, String)> = db
            .index_reach()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.repository == "c/z")
            .map(|r| (r.digest, r.role, r.size.to_string()))
            .collect();
        rows.sort();
        let want: Vec<(String, String, String)> = [
            ("c4", "config", "1"),
            ("idx", "manifest", "10"),
            ("m4", "manifest", "10"),
            ("own", "layer", "400"),
            ("shared", "layer", "50"),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
        assert_eq!(rows, want);
    }

    #[tokio::test]
    async fn a_delete_frees_what_nothing_else_reaches() {
        let (_dir, db) = graph().await;
        // m2's own layer and config and the manifest; base stays (m1, m3).
        let f = db.index_frees("a/x", &["m2".into()]).await.unwrap();
        assert_eq!(digests(&f), ["app2", "c2", "m2"]);
        assert_eq!(f.bytes(), 200 + 1 + 10);
        // Both of a/x: base is still b/y's.
        let f = db
            .index_frees("a/x", &["m1".into(), "m2".into()])
            .await
            .unwrap();
        assert_eq!(digests(&f), ["app1", "app2", "c1", "c2", "m1", "m2"]);
        // An index alone: its platform manifest stays in the repository.
        let f = db.index_frees("c/z", &["idx".into()]).await.unwrap();
        assert_eq!(digests(&f), ["idx"]);
        // m3: its `shared` layer is still reached through c/z's index.
        let f = db.index_frees("b/y", &["m3".into()]).await.unwrap();
        assert_eq!(digests(&f), ["c3", "m3"]);
        assert!(f.undescribed.is_empty());
    }

    #[tokio::test]
    async fn the_same_manifest_in_another_repository_keeps_everything() {
        let (_dir, db) = graph().await;
        db.index_put_tag("d/copy", "1", "m2", 2_000).await.unwrap();
        let f = db.index_frees("a/x", &["m2".into()]).await.unwrap();
        assert!(f.blobs.is_empty(), "{f:?}");
        // An undescribed digest is said, not guessed at.
        let f = db.index_frees("a/x", &["nope".into()]).await.unwrap();
        assert_eq!(f.undescribed, ["nope"]);
    }
}
