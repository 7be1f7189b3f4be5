//! Search over the registry index: tags whose repository, tag, digest,
//! blobs, labels, platforms or kind match every term of a parsed query.
//!
//! Each term reads an index, never every tag:
//! - digest prefixes are ranges (`>= 'sha256:ab12cd'` and
//!   `< 'sha256:ab12cdg'`, `g` sorting after every hex digit) over the
//!   digest indexes, in both dialects;
//! - labels, platforms and Helm are rows of `index_facts` (one range each);
//! - names by substring use SQLite's trigram index `index_tags_text`
//!   (PostgreSQL scans them with `ILIKE`).

use std::collections::HashMap;

use sqlx::FromRow;

use super::database::Database;
use super::index_facts::{label_fact, platform_fact};
use super::Bind;
use crate::index::query::{like_escape, Term};

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

/// How the tags' names are searched by substring.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Names {
    /// SQLite: the trigram index `index_tags_text` for terms of three
    /// characters or more (shorter ones have no trigram and scan).
    Trigrams,
    /// PostgreSQL: `ILIKE` over the tags.
    Scan,
}

/// Where matches are looked for.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Anywhere: the first fact term drives, straight from its index.
    Everywhere,
    /// In these repositories only (at least one), read by the tags'
    /// primary key.
    Within(&'a [String]),
    /// Anywhere but these repositories.
    Outside(&'a [String]),
}

/// An FTS5 phrase that matches `s` literally.
fn phrase(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The fact a term is, if it is one.
fn fact_of(term: &Term) -> Option<String> {
    match term {
        Term::Label { key, value } => label_fact(key, value.as_deref()),
        Term::Platform(p) => platform_fact(p),
        Term::Kind(k) => Some(format!("kind:{}", k.name())),
        Term::Text(_) | Term::Digest { .. } => None,
    }
}

/// `FROM … WHERE …` of a query's matching tags, and its values.
/// `ilike` is the dialect's case-insensitive `LIKE` (SQLite's own `LIKE`
/// is, for ASCII; PostgreSQL has `ILIKE`), so no `LOWER()` per row.
fn matching(terms: &[Term], ilike: &str, names: Names, scope: Scope) -> (String, Vec<Bind>) {
    let mut parts = vec!["1 = 1".to_string()];
    let mut binds: Vec<Bind> = Vec::new();
    let mut bind = |b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    // A repository or tag name containing `s`.
    let named = |s: &str, bind: &mut dyn FnMut(Bind) -> String| {
        if names == Names::Trigrams && s.chars().count() >= 3 {
            let p = bind(Bind::Text(phrase(s)));
            format!(
                "t.rowid IN (SELECT rowid FROM index_tags_text WHERE index_tags_text MATCH {p})"
            )
        } else {
            let p = bind(Bind::Text(format!("%{}%", like_escape(s))));
            format!("(t.repository {ilike} {p} ESCAPE '\\' OR t.tag {ilike} {p} ESCAPE '\\')")
        }
    };
    let mut from = "index_tags t".to_string();
    let mut driving = !matches!(scope, Scope::Within(_));
    match scope {
        Scope::Within(repos) => {
            let marks: Vec<String> = repos.iter().map(|r| bind(Bind::Text(r.clone()))).collect();
            parts.push(format!("t.repository IN ({})", marks.join(", ")));
        }
        Scope::Outside(repos) if !repos.is_empty() => {
            let marks: Vec<String> = repos.iter().map(|r| bind(Bind::Text(r.clone()))).collect();
            parts.push(format!("t.repository NOT IN ({})", marks.join(", ")));
        }
        Scope::Outside(_) | Scope::Everywhere => {}
    }
    for term in terms {
        let sql = match (term, fact_of(term)) {
            // The first fact is where the reading starts: its rows, in
            // order, each looked up in the tags by digest, until enough.
            (_, Some(f)) if driving => {
                driving = false;
                from = "index_facts f0 JOIN index_tags t ON t.digest = f0.digest".into();
                format!("f0.fact = {}", bind(Bind::Text(f)))
            }
            (_, Some(f)) => format!(
                "EXISTS (SELECT 1 FROM index_facts f WHERE f.fact = {} AND f.digest = t.digest)",
                bind(Bind::Text(f))
            ),
            (Term::Text(s), None) => named(s, &mut bind),
            (Term::Digest { hex, also_text }, None) => {
                let lo = bind(Bind::Text(format!("sha256:{hex}")));
                let hi = bind(Bind::Text(format!("sha256:{hex}g")));
                // One set of digests: the manifest itself, a manifest naming
                // the blob or child, or an index naming such a child.
                let set = format!(
                    "t.digest IN (SELECT digest FROM index_manifests WHERE digest >= {lo} AND digest < {hi} \
                     UNION SELECT parent FROM index_edges WHERE child >= {lo} AND child < {hi} \
                     UNION SELECT e1.parent FROM index_edges e1 JOIN index_edges e2 ON e2.parent = e1.child \
                     WHERE e2.child >= {lo} AND e2.child < {hi})"
                );
                if *also_text {
                    format!("({set} OR {})", named(hex, &mut bind))
                } else {
                    set
                }
            }
            // Too long to be a stored fact: the labels themselves.
            (Term::Label { key, value }, None) => {
                let k = bind(Bind::Text(key.clone()));
                let v = value
                    .as_ref()
                    .map(|v| format!(" AND l.value = {}", bind(Bind::Text(v.clone()))))
                    .unwrap_or_default();
                format!(
                    "t.digest IN (SELECT l.digest FROM index_labels l WHERE l.key = {k}{v} \
                     UNION SELECT e.parent FROM index_edges e JOIN index_labels l ON l.digest = e.child \
                     WHERE e.role = 'manifest' AND l.key = {k}{v})"
                )
            }
            (Term::Platform(_) | Term::Kind(_), None) => "1 = 0".to_string(),
        };
        parts.push(sql);
    }
    // An OCI 1.1 referrers fallback tag (`sha256-<hex>`) is an index too,
    // but no one searching for indexes means it: left out unless the query
    // names such a tag.
    let indexes = terms
        .iter()
        .any(|t| matches!(t, Term::Kind(crate::index::query::KindTerm::Index)));
    let names_one = terms
        .iter()
        .any(|t| matches!(t, Term::Text(s) if s.starts_with("sha256-")));
    if indexes && !names_one {
        parts.push("t.tag NOT LIKE 'sha256-%'".to_string());
    }
    (format!("FROM {from} WHERE {}", parts.join(" AND ")), binds)
}

/// A hit's details, read for the hits shown.
#[derive(FromRow)]
struct Details {
    digest: String,
    kind: String,
    size: Option<i64>,
    created: Option<i64>,
    platform: String,
    artifact: String,
}

fn by_repository(hits: &mut [SearchHit]) {
    hits.sort_by(|a, b| {
        (
            a.repository.as_str(),
            std::cmp::Reverse(a.since_ms),
            a.tag.as_str(),
        )
            .cmp(&(
                b.repository.as_str(),
                std::cmp::Reverse(b.since_ms),
                b.tag.as_str(),
            ))
    });
}

impl Database {
    /// Tags matching every term in `scope`, by repository then newest
    /// first: at most `limit`, and whether more matched. Without a scope
    /// they are the first found in whatever order the indexes give them
    /// cheapest, not the first by name: ordering every match first would
    /// read them all. An empty query matches nothing. The hits come without
    /// their details: see [`Self::index_describe`].
    pub async fn index_search(
        &self,
        terms: &[Term],
        scope: Scope<'_>,
        limit: i64,
    ) -> Result<(Vec<SearchHit>, bool), String> {
        if terms.is_empty() {
            return Ok((Vec::new(), false));
        }
        let mut hits = self.index_matches(terms, scope, limit).await?;
        let more = hits.len() as i64 > limit;
        by_repository(&mut hits);
        hits.truncate(usize::try_from(limit).unwrap_or(0));
        Ok((hits, more))
    }

    /// Up to `limit` repositories holding a match in `scope`, in no order.
    pub async fn index_search_repositories(
        &self,
        terms: &[Term],
        scope: Scope<'_>,
        limit: i64,
    ) -> Result<Vec<String>, String> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let ilike_names = match self {
            Database::Sqlite(_) => ("LIKE", Names::Trigrams),
            Database::Postgres(_) => ("ILIKE", Names::Scan),
        };
        let (matching, mut binds) = matching(terms, ilike_names.0, ilike_names.1, scope);
        binds.push(Bind::Int(limit));
        let sql = format!(
            "SELECT DISTINCT t.repository {matching} LIMIT ${}",
            binds.len()
        );
        let rows: Vec<(String,)> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as::<_, (String,)>(&sql),
            binds
        )
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(rows.into_iter().map(|(r,)| r).collect())
    }

    /// Up to `limit + 1` matching tags, unsorted.
    async fn index_matches(
        &self,
        terms: &[Term],
        scope: Scope<'_>,
        limit: i64,
    ) -> Result<Vec<SearchHit>, String> {
        let (ilike, names) = match self {
            Database::Sqlite(_) => ("LIKE", Names::Trigrams),
            Database::Postgres(_) => ("ILIKE", Names::Scan),
        };
        let (matching, mut binds) = matching(terms, ilike, names, scope);
        binds.push(Bind::Int(limit + 1));
        let sql = format!(
            "SELECT t.repository, t.tag, t.digest, t.since_ms {matching} LIMIT ${}",
            binds.len()
        );
        let rows: Vec<(String, String, String, i64)> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as::<_, (String, String, String, i64)>(&sql),
            binds
        )
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .map(|(repository, tag, digest, since_ms)| SearchHit {
                repository,
                tag,
                digest,
                kind: None,
                size: None,
                created: None,
                platform: None,
                artifact: None,
                since_ms,
                platforms: Vec::new(),
            })
            .collect())
    }

    /// Fills in the hits' kind, size, date and platforms: for the ones
    /// shown only.
    pub async fn index_describe(&self, hits: &mut [SearchHit]) -> Result<(), String> {
        let mut digests: Vec<String> = hits.iter().map(|h| h.digest.clone()).collect();
        digests.sort();
        digests.dedup();
        let mut details: HashMap<String, Details> = HashMap::new();
        for chunk in digests.chunks(100) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT m.digest, m.kind, \
                 CASE WHEN m.kind = 'index' THEN (SELECT CAST(SUM(c.size) AS BIGINT) FROM index_edges e \
                   JOIN index_manifests c ON c.digest = e.child WHERE e.parent = m.digest AND e.role = 'manifest') \
                   ELSE m.size END AS size, \
                 m.created, m.platform, m.artifact \
                 FROM index_manifests m WHERE m.digest IN ({})",
                marks.join(", ")
            );
            let binds = chunk.iter().map(|d| Bind::Text(d.clone()));
            let rows: Vec<Details> = on_pool!(self, |pool| bind_all!(
                sqlx::query_as::<_, Details>(&sql),
                binds.clone()
            )
            .fetch_all(pool)
            .await)
            .map_err(|e| e.to_string())?;
            details.extend(rows.into_iter().map(|d| (d.digest.clone(), d)));
        }
        let indexes: Vec<String> = details
            .values()
            .filter(|d| d.kind == "index")
            .map(|d| d.digest.clone())
            .collect();
        let platforms = if indexes.is_empty() {
            HashMap::new()
        } else {
            self.index_platforms_of(&indexes).await?
        };
        for h in hits.iter_mut() {
            let Some(d) = details.get(&h.digest) else {
                continue;
            };
            h.kind = Some(d.kind.clone());
            h.size = d.size;
            h.created = d.created;
            h.platform = Some(d.platform.clone());
            h.artifact = Some(d.artifact.clone());
            h.platforms = if d.platform.is_empty() {
                platforms.get(&h.digest).cloned().unwrap_or_default()
            } else {
                vec![d.platform.clone()]
            };
        }
        Ok(())
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
    use crate::store::index_facts::HELM_CONFIG;

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
        db.index_search(&parse(q).unwrap(), Scope::Everywhere, 100)
            .await
            .unwrap()
            .0
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
    async fn an_index_is_found_by_its_images_labels_whichever_is_described_first() {
        let (_dir, db) = temp_database().await;
        let mut image = manifest(hex('1'), IndexKind::Image, vec![]);
        image.labels = vec![("tier".into(), "web".into())];
        let mut later = manifest(hex('2'), IndexKind::Image, vec![]);
        later.labels = vec![("tier".into(), "db".into())];
        let index = manifest(
            hex('3'),
            IndexKind::Index,
            vec![
                edge(hex('1'), EdgeRole::Manifest, 1, "linux/amd64"),
                edge(hex('2'), EdgeRole::Manifest, 1, "linux/s390x"),
            ],
        );
        // One image before the index, one after it.
        db.index_put_manifest(&image).await.unwrap();
        db.index_put_manifest(&index).await.unwrap();
        db.index_put_manifest(&later).await.unwrap();
        db.index_set_tags("app", &[("multi".into(), hex('3'))], 0, 1)
            .await
            .unwrap();
        for q in [
            "label:tier=web",
            "label:tier=db",
            "label:tier",
            "platform:linux/s390x",
            "platform:linux",
        ] {
            assert_eq!(found(&db, q).await, vec!["app:multi"], "{q}");
        }
        assert_eq!(found(&db, "label:tier=none").await, Vec::<String>::new());
    }

    #[tokio::test]
    async fn names_are_found_as_tags_come_go_and_move() {
        let (_dir, db) = seeded().await;
        db.index_set_tags(
            "team/app",
            &[("1.0".into(), hex('1')), ("nightly".into(), hex('1'))],
            0,
            2,
        )
        .await
        .unwrap();
        assert_eq!(found(&db, "nightly").await, vec!["team/app:nightly"]);
        assert_eq!(found(&db, "2.0").await, Vec::<String>::new());
        db.index_put_tag("team/app", "nightly", &hex('3'), 3)
            .await
            .unwrap();
        assert_eq!(
            found(&db, "NIGHT kind:index").await,
            vec!["team/app:nightly"]
        );
        db.index_drop_tag("team/app", "nightly").await.unwrap();
        assert_eq!(found(&db, "nightly").await, Vec::<String>::new());
        db.index_keep_repositories(&["team/app".to_string()].into_iter().collect())
            .await
            .unwrap();
        assert_eq!(found(&db, "chart").await, Vec::<String>::new());
        assert_eq!(found(&db, "team/app").await, vec!["team/app:1.0"]);
        // A quote is a character, not FTS syntax.
        assert_eq!(found(&db, "a\"pp").await, Vec::<String>::new());
    }

    #[tokio::test]
    async fn an_index_shows_its_platforms_and_the_sum_of_its_images() {
        let (_dir, db) = seeded().await;
        let mut hits = db
            .index_search(&parse("kind:index").unwrap(), Scope::Everywhere, 10)
            .await
            .unwrap()
            .0;
        db.index_describe(&mut hits).await.unwrap();
        assert_eq!(hits[0].kind.as_deref(), Some("index"));
        assert_eq!(hits[0].platforms, vec!["linux/amd64", "linux/arm64/v8"]);
        assert_eq!(hits[0].size, Some(105 + 205));
        let mut image = db
            .index_search(&parse("1.0").unwrap(), Scope::Everywhere, 10)
            .await
            .unwrap()
            .0;
        db.index_describe(&mut image).await.unwrap();
        assert_eq!(image[0].platforms, vec!["linux/amd64"]);
    }

    #[tokio::test]
    async fn a_search_can_be_kept_to_some_repositories() {
        let (_dir, db) = seeded().await;
        // Five repositories of three tags each, all `tier=web` images.
        for r in 0..5 {
            let tags: Vec<(String, String)> = (0..3).map(|t| (format!("t{t}"), hex('1'))).collect();
            db.index_set_tags(&format!("many/r{r}"), &tags, 0, 1)
                .await
                .unwrap();
        }
        let q = parse("label:tier=web").unwrap();
        let (hits, more) = db.index_search(&q, Scope::Everywhere, 4).await.unwrap();
        assert!(more);
        assert_eq!(hits.len(), 4);
        let (all, more) = db.index_search(&q, Scope::Everywhere, 100).await.unwrap();
        assert!(!more);
        assert_eq!(all.len(), 2 + 15);
        let within = ["many/r3".to_string(), "team/app".to_string()];
        let (hits, more) = db
            .index_search(&q, Scope::Within(&within), 100)
            .await
            .unwrap();
        assert!(!more);
        let got: Vec<String> = hits
            .iter()
            .map(|h| format!("{}:{}", h.repository, h.tag))
            .collect();
        assert_eq!(
            got,
            vec![
                "many/r3:t0",
                "many/r3:t1",
                "many/r3:t2",
                "team/app:1.0",
                "team/app:2.0"
            ]
        );
    }
}
