//! Search over the registry index: tags whose repository, tag, digest,
//! blobs, labels, platforms or kind match every term of a parsed query.
//!
//! Digest prefixes are matched as ranges (`>= 'sha256:ab12cd'` and
//! `< 'sha256:ab12cdg'`, `g` sorting after every hex digit), so they use
//! the digest indexes in both dialects; so are platform variants. Each
//! term is one set of digests the tags must point into. The order is by an
//! expression (`repository || ''`): sorting the matches is cheaper than
//! walking every tag in primary-key order to skip the sort.

use std::collections::HashMap;

use sqlx::FromRow;

use super::database::Database;
use super::Bind;
use crate::index::query::{like_escape, KindTerm, Term};

/// One tag that matched.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SearchHit {
    pub repository: String,
    pub tag: String,
    pub digest: String,
    /// `None` when the manifest is not described (yet).
    pub kind: Option<String>,
    /// An image's size, or the sum of an index's platform images.
    pub size: Option<i64>,
    pub created: Option<i64>,
    /// An image's platform; an index's come in `platforms`.
    pub platform: Option<String>,
    pub artifact: Option<String>,
    pub since_ms: i64,
    #[sqlx(skip)]
    pub platforms: Vec<String>,
}

const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";

/// The `WHERE` clause of `terms` (always present) and its values.
/// `ilike` is the dialect's case-insensitive `LIKE` (SQLite's own `LIKE`
/// is, for ASCII; PostgreSQL has `ILIKE`), so no `LOWER()` per row.
fn clause(terms: &[Term], ilike: &str, tag_digest: &str) -> (String, Vec<Bind>) {
    let mut parts = vec!["1 = 1".to_string()];
    let mut binds: Vec<Bind> = Vec::new();
    let mut bind = |b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    for term in terms {
        let sql = match term {
            Term::Text(s) => {
                let p = bind(Bind::Text(format!("%{}%", like_escape(s))));
                format!("(t.repository {ilike} {p} ESCAPE '\\' OR t.tag {ilike} {p} ESCAPE '\\')")
            }
            Term::Digest { hex, also_text } => {
                let lo = bind(Bind::Text(format!("sha256:{hex}")));
                let hi = bind(Bind::Text(format!("sha256:{hex}g")));
                // One set of digests: the manifest itself, a manifest naming
                // the blob or child, or an index naming such a child.
                let set = format!(
                    "{tag_digest} IN (SELECT digest FROM index_manifests WHERE digest >= {lo} AND digest < {hi} \
                     UNION SELECT parent FROM index_edges WHERE child >= {lo} AND child < {hi} \
                     UNION SELECT e1.parent FROM index_edges e1 JOIN index_edges e2 ON e2.parent = e1.child \
                     WHERE e2.child >= {lo} AND e2.child < {hi})"
                );
                if *also_text {
                    let p = bind(Bind::Text(format!("%{}%", like_escape(hex))));
                    format!(
                        "({set} OR t.tag {ilike} {p} ESCAPE '\\' OR t.repository {ilike} {p} ESCAPE '\\')"
                    )
                } else {
                    set
                }
            }
            Term::Label { key, value } => {
                let k = bind(Bind::Text(key.clone()));
                let v = value
                    .as_ref()
                    .map(|v| format!(" AND l.value = {}", bind(Bind::Text(v.clone()))))
                    .unwrap_or_default();
                format!(
                    "{tag_digest} IN (SELECT l.digest FROM index_labels l WHERE l.key = {k}{v} \
                     UNION SELECT e.parent FROM index_edges e JOIN index_labels l ON l.digest = e.child \
                     WHERE e.role = 'manifest' AND l.key = {k}{v})"
                )
            }
            Term::Platform(p) => {
                // `linux/arm64` and its variants (`linux/arm64/v8`): the
                // variants are the range from "linux/arm64/" up to
                // "linux/arm640" ('0' follows '/'), which an index can read.
                let exact = bind(Bind::Text(p.clone()));
                let lo = bind(Bind::Text(format!("{p}/")));
                let hi = bind(Bind::Text(format!("{p}0")));
                let of =
                    |col: &str| format!("({col} = {exact} OR ({col} >= {lo} AND {col} < {hi}))");
                format!(
                    "{tag_digest} IN (SELECT digest FROM index_manifests WHERE {} \
                     UNION SELECT parent FROM index_edges WHERE role = 'manifest' AND {})",
                    of("platform"),
                    of("platform")
                )
            }
            Term::Kind(KindTerm::Helm) => {
                format!("m.artifact_type = {}", bind(Bind::Text(HELM_CONFIG.into())))
            }
            Term::Kind(k) => {
                let kind = match k {
                    KindTerm::Image => "image",
                    KindTerm::Index => "index",
                    KindTerm::Artifact => "artifact",
                    KindTerm::Signature => "signature",
                    KindTerm::Attestation => "attestation",
                    KindTerm::Helm => unreachable!("matched above"),
                };
                format!("m.kind = {}", bind(Bind::Text(kind.into())))
            }
        };
        parts.push(sql);
    }
    (parts.join(" AND "), binds)
}

impl Database {
    /// Tags matching every term, by repository then newest first; at most
    /// `limit`. An empty query matches nothing.
    pub async fn index_search(&self, terms: &[Term], limit: i64) -> Result<Vec<SearchHit>, String> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let ilike = match self {
            Database::Sqlite(_) => "LIKE",
            Database::Postgres(_) => "ILIKE",
        };
        // Two ways to find the first `limit` matches by repository:
        // - a broad query (labels, platforms, kinds: often a tenth of all
        //   tags or more) walks the tags in key order, testing each against
        //   its sets, and stops at `limit`: `t.digest || ''` keeps the
        //   planner from driving from the digest index and sorting every
        //   match;
        // - a narrow one (names, tags, digests) finds its few matches
        //   through the indexes and sorts them.
        // Either way only those rows get their details (kind, size, …).
        let broad = terms
            .iter()
            .all(|t| matches!(t, Term::Label { .. } | Term::Platform(_) | Term::Kind(_)));
        let (tag_digest, order) = if broad {
            ("t.digest || ''", "t.repository, t.tag")
        } else {
            ("t.digest", "t.repository || '', t.since_ms DESC, t.tag")
        };
        let (clause, mut binds) = clause(terms, ilike, tag_digest);
        binds.push(Bind::Int(limit));
        let sql = format!(
            "SELECT t.repository, t.tag, t.digest, m.kind, \
             CASE WHEN m.kind = 'index' THEN (SELECT CAST(SUM(c.size) AS BIGINT) FROM index_edges e \
               JOIN index_manifests c ON c.digest = e.child WHERE e.parent = t.digest AND e.role = 'manifest') \
               ELSE m.size END AS size, \
             m.created, m.platform, m.artifact, t.since_ms \
             FROM (SELECT t.repository, t.tag, t.digest, t.since_ms \
                   FROM index_tags t LEFT JOIN index_manifests m ON m.digest = t.digest \
                   WHERE {clause} ORDER BY {order} LIMIT ${}) AS t \
             LEFT JOIN index_manifests m ON m.digest = t.digest \
             ORDER BY t.repository, t.since_ms DESC, t.tag",
            binds.len()
        );
        let mut hits: Vec<SearchHit> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as::<_, SearchHit>(&sql),
            binds
        )
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        let indexes: Vec<String> = hits
            .iter()
            .filter(|h| h.kind.as_deref() == Some("index"))
            .map(|h| h.digest.clone())
            .collect();
        if !indexes.is_empty() {
            let platforms = self.index_platforms_of(&indexes).await?;
            for h in hits.iter_mut() {
                if let Some(p) = platforms.get(&h.digest) {
                    h.platforms = p.clone();
                }
            }
        }
        for h in hits.iter_mut() {
            if let Some(p) = h.platform.as_ref().filter(|p| !p.is_empty()) {
                h.platforms = vec![p.clone()];
            }
        }
        Ok(hits)
    }

    /// The platforms of each index, in its own order.
    async fn index_platforms_of(
        &self,
        indexes: &[String],
    ) -> Result<HashMap<String, Vec<String>>, String> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for chunk in indexes.chunks(100) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                // `role || ''`: found by parent (the primary key), not by
                // the platform index, which also covers `role = 'manifest'`.
                "SELECT parent, platform FROM index_edges WHERE role || '' = 'manifest' AND parent IN ({}) \
                 ORDER BY parent, position",
                marks.join(", ")
            );
            let binds = chunk.iter().map(|d| Bind::Text(d.clone()));
            let rows: Vec<(String, String)> = on_pool!(self, |pool| bind_all!(
                sqlx::query_as::<_, (String, String)>(&sql),
                binds.clone()
            )
            .fetch_all(pool)
            .await)
            .map_err(|e| e.to_string())?;
            for (parent, platform) in rows {
                out.entry(parent).or_default().push(platform);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::query::parse;
    use crate::store::database::temp_database;
    use crate::store::index::{EdgeRole, IndexEdge, IndexKind, IndexedManifest};

    fn hex(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    fn manifest(digest: String, kind: IndexKind, edges: Vec<IndexEdge>) -> IndexedManifest {
        IndexedManifest {
            digest,
            media_type: String::new(),
            kind,
            bytes: 10,
            size: Some(edges.iter().map(|e| e.size).sum()),
            created: None,
            platform: String::new(),
            artifact: String::new(),
            artifact_type: String::new(),
            subject: String::new(),
            edges,
            labels: Vec::new(),
        }
    }

    fn edge(child: String, role: EdgeRole, size: u64, platform: &str) -> IndexEdge {
        IndexEdge {
            child,
            role,
            size,
            platform: platform.into(),
            about: String::new(),
        }
    }

    /// `team/app:1.0` an amd64 image with layer `aaa…` and label
    /// `tier=web`; `team/app:2.0` an index of it and an arm64/v8 image with
    /// layer `bbb…`; `other/chart:0.1` a Helm chart.
    async fn seeded() -> (tempfile::TempDir, Database) {
        let (dir, db) = temp_database().await;
        let mut amd = manifest(
            hex('1'),
            IndexKind::Image,
            vec![
                edge(hex('c'), EdgeRole::Config, 5, ""),
                edge(hex('a'), EdgeRole::Layer, 100, ""),
            ],
        );
        amd.platform = "linux/amd64".into();
        amd.labels = vec![("tier".into(), "web".into())];
        let mut arm = manifest(
            hex('2'),
            IndexKind::Image,
            vec![
                edge(hex('d'), EdgeRole::Config, 5, ""),
                edge(hex('b'), EdgeRole::Layer, 200, ""),
            ],
        );
        arm.platform = "linux/arm64/v8".into();
        let index = manifest(
            hex('3'),
            IndexKind::Index,
            vec![
                edge(hex('1'), EdgeRole::Manifest, 1, "linux/amd64"),
                edge(hex('2'), EdgeRole::Manifest, 1, "linux/arm64/v8"),
            ],
        );
        let mut chart = manifest(hex('4'), IndexKind::Artifact, vec![]);
        chart.artifact_type = HELM_CONFIG.into();
        chart.artifact = "Helm chart chart 0.1".into();
        for m in [&amd, &arm, &index, &chart] {
            db.index_put_manifest(m).await.unwrap();
        }
        db.index_set_tags(
            "team/app",
            &[("1.0".into(), hex('1')), ("2.0".into(), hex('3'))],
            0,
            1,
        )
        .await
        .unwrap();
        db.index_set_tags("other/chart", &[("0.1".into(), hex('4'))], 0, 1)
            .await
            .unwrap();
        (dir, db)
    }

    async fn found(db: &Database, q: &str) -> Vec<String> {
        db.index_search(&parse(q).unwrap(), 100)
            .await
            .unwrap()
            .into_iter()
            .map(|h| format!("{}:{}", h.repository, h.tag))
            .collect()
    }

    #[tokio::test]
    async fn every_kind_of_term_finds_its_tags() {
        let (_dir, db) = seeded().await;
        assert_eq!(
            found(&db, "APP").await,
            vec!["team/app:1.0", "team/app:2.0"]
        );
        assert_eq!(found(&db, "app 2.").await, vec!["team/app:2.0"]);
        assert_eq!(found(&db, "").await, Vec::<String>::new());
        // The manifest, a layer of an image, a layer of an index's image.
        assert_eq!(
            found(&db, &format!("sha256:{}", "3".repeat(12))).await,
            vec!["team/app:2.0"]
        );
        assert_eq!(
            found(&db, "aaaaaa").await,
            vec!["team/app:1.0", "team/app:2.0"]
        );
        assert_eq!(found(&db, "bbbbbbbb").await, vec!["team/app:2.0"]);
        assert_eq!(
            found(&db, "label:tier=web").await,
            vec!["team/app:1.0", "team/app:2.0"]
        );
        assert_eq!(found(&db, "label:tier=db").await, Vec::<String>::new());
        assert_eq!(
            found(&db, "platform:linux/arm64").await,
            vec!["team/app:2.0"]
        );
        assert_eq!(found(&db, "platform:linux/arm").await, Vec::<String>::new());
        assert_eq!(found(&db, "kind:helm").await, vec!["other/chart:0.1"]);
        assert_eq!(found(&db, "kind:index").await, vec!["team/app:2.0"]);
        // `%` and `_` are characters, not wildcards.
        assert_eq!(found(&db, "a%p").await, Vec::<String>::new());
    }

    #[tokio::test]
    async fn an_index_shows_its_platforms_and_the_sum_of_its_images() {
        let (_dir, db) = seeded().await;
        let hits = db
            .index_search(&parse("kind:index").unwrap(), 10)
            .await
            .unwrap();
        assert_eq!(hits[0].platforms, vec!["linux/amd64", "linux/arm64/v8"]);
        assert_eq!(hits[0].size, Some(105 + 205));
        let image = db.index_search(&parse("1.0").unwrap(), 10).await.unwrap();
        assert_eq!(image[0].platforms, vec!["linux/amd64"]);
    }
}
