//! One repository as the index holds it, for its tag table: every tag
//! with what is known of its manifest, and an index's platform and
//! attestation children with theirs. Two queries, whatever the number of
//! tags.

use sqlx::FromRow;

use super::database::Database;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IndexedTagRow {
    pub tag: String,
    pub digest: String,
    /// `None` when the manifest is not described.
    pub kind: Option<String>,
    pub size: Option<i64>,
    pub created: Option<i64>,
    pub platform: Option<String>,
    pub artifact: Option<String>,
    pub artifact_type: Option<String>,
}

/// A child of an index that one of the repository's tags points at.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IndexedChildRow {
    pub parent: String,
    pub child: String,
    /// `manifest` or `attestation`.
    pub role: String,
    pub platform: String,
    /// For an attestation: the platform manifest it is about.
    pub about: String,
    /// `None` when the registry lacked the child when it was described.
    pub kind: Option<String>,
    /// The child was found missing in this repository.
    pub missing: bool,
    pub size: Option<i64>,
    pub created: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryRows {
    /// When the registry last listed the repository's tags (Unix ms).
    pub listed_ms: i64,
    /// Names that list held that are not valid tags.
    pub skipped: i64,
    pub tags: Vec<IndexedTagRow>,
    /// In each parent's own order.
    pub children: Vec<IndexedChildRow>,
}

impl Database {
    /// `None` when the index has never listed the repository's tags.
    pub async fn index_repository_rows(
        &self,
        repo: &str,
    ) -> Result<Option<RepositoryRows>, String> {
        let listed: Option<(i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT listed_ms, skipped FROM index_repositories WHERE name = $1 AND listed_ms > 0"
        )
        .bind(repo)
        .fetch_optional(pool)
        .await
        })
        .map_err(|e| e.to_string())?;
        let Some((listed_ms, skipped)) = listed else {
            return Ok(None);
        };
        let tags: Vec<IndexedTagRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT t.tag, t.digest, m.kind, m.size, m.created, m.platform, m.artifact, m.artifact_type \
             FROM index_tags t LEFT JOIN index_manifests m ON m.digest = t.digest \
             WHERE t.repository = $1 ORDER BY t.tag"
        )
        .bind(repo)
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        let children: Vec<IndexedChildRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT e.parent, e.child, e.role, e.platform, e.about, c.kind, c.size, c.created, \
             EXISTS (SELECT 1 FROM index_missing x WHERE x.repository = $1 AND x.digest = e.child) AS missing \
             FROM index_edges e LEFT JOIN index_manifests c ON c.digest = e.child \
             WHERE e.role IN ('manifest', 'attestation') AND e.parent IN \
               (SELECT DISTINCT t.digest FROM index_tags t JOIN index_manifests m ON m.digest = t.digest \
                WHERE t.repository = $1 AND m.kind = 'index') \
             ORDER BY e.parent, e.position"
        )
        .bind(repo)
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(Some(RepositoryRows {
            listed_ms,
            skipped,
            tags,
            children,
        }))
    }
}
