//! The audit log's table: writing a row, finishing a started one, reading
//! pages and batches with filters, and deleting rows past their retention.
//!
//! One SQL text serves both dialects: SQLite reads `$1`-style parameters
//! as PostgreSQL does.

use sqlx::FromRow;

use super::database::Database;
use super::Bind;
use crate::model::AuditRow;

/// Which rows to read; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub username: Option<String>,
    /// A repository name, or a prefix ending in `/` for a whole namespace.
    pub repository: Option<String>,
    pub action: Option<String>,
    /// At or after, in Unix milliseconds.
    pub from_ms: Option<i64>,
    /// Strictly before, in Unix milliseconds.
    pub before_ms: Option<i64>,
}

impl AuditQuery {
    /// The `WHERE` clause (always present) and its values, numbered from $1.
    fn clause(&self) -> (String, Vec<Bind>) {
        let mut parts = vec!["1 = 1".to_string()];
        let mut binds = Vec::new();
        let mut push = |sql: &str, b: Bind, binds: &mut Vec<Bind>| {
            binds.push(b);
            parts.push(sql.replace('?', &format!("${}", binds.len())));
        };
        if let Some(u) = &self.username {
            push("username = ?", Bind::Text(u.clone()), &mut binds);
        }
        match &self.repository {
            Some(prefix) if prefix.ends_with('/') => {
                let n = prefix.chars().count() as i64;
                binds.push(Bind::Int(n));
                let len = binds.len();
                push(
                    &format!("substr(repository, 1, ${len}) = ?"),
                    Bind::Text(prefix.clone()),
                    &mut binds,
                );
            }
            Some(r) => push("repository = ?", Bind::Text(r.clone()), &mut binds),
            None => {}
        }
        if let Some(a) = &self.action {
            push("action = ?", Bind::Text(a.clone()), &mut binds);
        }
        if let Some(t) = self.from_ms {
            push("at_ms >= ?", Bind::Int(t), &mut binds);
        }
        if let Some(t) = self.before_ms {
            push("at_ms < ?", Bind::Int(t), &mut binds);
        }
        (parts.join(" AND "), binds)
    }
}

#[derive(FromRow)]
struct StoredRow {
    id: i64,
    at_ms: i64,
    username: String,
    client_ip: String,
    request_id: String,
    action: String,
    repository: String,
    tags: String,
    digest: String,
    result: String,
    detail: String,
}

impl From<StoredRow> for AuditRow {
    fn from(r: StoredRow) -> Self {
        AuditRow {
            id: r.id,
            at_ms: r.at_ms,
            username: r.username,
            client_ip: r.client_ip,
            request_id: r.request_id,
            action: r.action,
            repository: r.repository,
            tags: r
                .tags
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            digest: r.digest,
            result: r.result,
            detail: r.detail,
        }
    }
}

const COLUMNS: &str =
    "id, at_ms, username, client_ip, request_id, action, repository, tags, digest, result, detail";

impl Database {
    /// Writes one row and returns its id (the row's own `id` is ignored).
    /// Tags are stored space-separated (a tag never holds a space).
    pub async fn audit_insert(&self, row: &AuditRow) -> Result<i64, String> {
        let sql = "INSERT INTO audit_log (at_ms, username, client_ip, request_id, action, repository, tags, digest, result, detail) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let tags = row.tags.join(" ");
        on_pool!(self, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(row.at_ms)
            .bind(&row.username)
            .bind(&row.client_ip)
            .bind(&row.request_id)
            .bind(&row.action)
            .bind(&row.repository)
            .bind(&tags)
            .bind(&row.digest)
            .bind(&row.result)
            .bind(&row.detail)
            .fetch_one(pool)
            .await)
        .map_err(|e| e.to_string())
    }

    /// Records how a started action ended.
    pub async fn audit_finish(&self, id: i64, result: &str, detail: &str) -> Result<(), String> {
        let sql = "UPDATE audit_log SET result = $1, detail = $2 WHERE id = $3";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(result)
            .bind(detail)
            .bind(id)
            .execute(pool)
            .await
            .map(drop))
        .map_err(|e| e.to_string())
    }

    /// How many rows match.
    pub async fn audit_count(&self, query: &AuditQuery) -> Result<u64, String> {
        let (clause, binds) = query.clause();
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE {clause}");
        let n: i64 = on_pool!(self, |pool| bind_all!(sqlx::query_scalar(&sql), binds)
            .fetch_one(pool)
            .await)
        .map_err(|e| e.to_string())?;
        Ok(n.max(0) as u64)
    }

    /// Matching rows, newest first: `limit` of them after skipping `offset`,
    /// and only rows older than `before_id` when given (for exports that
    /// read in batches while new rows arrive).
    pub async fn audit_rows(
        &self,
        query: &AuditQuery,
        before_id: Option<i64>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<AuditRow>, String> {
        let (mut clause, mut binds) = query.clause();
        if let Some(id) = before_id {
            binds.push(Bind::Int(id));
            clause.push_str(&format!(" AND id < ${}", binds.len()));
        }
        binds.push(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        binds.push(Bind::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let n = binds.len();
        let sql = format!(
            "SELECT {COLUMNS} FROM audit_log WHERE {clause} ORDER BY id DESC LIMIT ${} OFFSET ${n}",
            n - 1
        );
        let rows: Vec<StoredRow> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as::<_, StoredRow>(&sql),
            binds
        )
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(rows.into_iter().map(AuditRow::from).collect())
    }

    /// Deletes rows written before `before_ms`; returns how many.
    pub async fn audit_prune(&self, before_ms: i64) -> Result<u64, String> {
        let sql = "DELETE FROM audit_log WHERE at_ms < $1";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(before_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at_ms: i64, user: &str, action: &str, repo: &str) -> AuditRow {
        AuditRow {
            id: 0,
            at_ms,
            username: user.into(),
            client_ip: "127.0.0.1".into(),
            request_id: "r1".into(),
            action: action.into(),
            repository: repo.into(),
            tags: vec!["1.0".into(), "latest".into()],
            digest: String::new(),
            result: "ok".into(),
            detail: String::new(),
        }
    }

    #[tokio::test]
    async fn filters_combine_and_rows_come_newest_first() {
        let (_dir, db) = super::super::database::temp_database().await;
        db.audit_insert(&row(1_000, "alice", "login", ""))
            .await
            .unwrap();
        db.audit_insert(&row(2_000, "alice", "delete", "team-a/app"))
            .await
            .unwrap();
        db.audit_insert(&row(3_000, "bob", "delete", "team-a/web"))
            .await
            .unwrap();
        db.audit_insert(&row(4_000, "bob", "delete", "team-b/app"))
            .await
            .unwrap();

        let all = db
            .audit_rows(&AuditQuery::default(), None, 0, 10)
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|r| r.at_ms).collect::<Vec<_>>(),
            [4_000, 3_000, 2_000, 1_000]
        );
        assert_eq!(all[0].tags, ["1.0", "latest"]);

        let q = AuditQuery {
            action: Some("delete".into()),
            repository: Some("team-a/".into()),
            ..Default::default()
        };
        assert_eq!(db.audit_count(&q).await.unwrap(), 2);
        let q = AuditQuery {
            username: Some("bob".into()),
            from_ms: Some(3_500),
            ..Default::default()
        };
        let rows = db.audit_rows(&q, None, 0, 10).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].repository, "team-b/app");
        let q = AuditQuery {
            repository: Some("team-a/app".into()),
            before_ms: Some(2_000),
            ..Default::default()
        };
        assert_eq!(db.audit_count(&q).await.unwrap(), 0);

        // Paging and batches.
        let page2 = db
            .audit_rows(&AuditQuery::default(), None, 2, 2)
            .await
            .unwrap();
        assert_eq!(
            page2.iter().map(|r| r.at_ms).collect::<Vec<_>>(),
            [2_000, 1_000]
        );
        let older = db
            .audit_rows(&AuditQuery::default(), Some(all[1].id), 0, 10)
            .await
            .unwrap();
        assert_eq!(older.len(), 2);
    }

    #[tokio::test]
    async fn a_started_row_is_finished_and_old_rows_are_pruned() {
        let (_dir, db) = super::super::database::temp_database().await;
        let mut started = row(5_000, "alice", "delete", "r");
        started.result = "started".into();
        let id = db.audit_insert(&started).await.unwrap();
        db.audit_finish(id, "failed", "registry said 405")
            .await
            .unwrap();
        db.audit_insert(&row(100, "old", "login", ""))
            .await
            .unwrap();
        assert_eq!(db.audit_prune(1_000).await.unwrap(), 1);
        let rows = db
            .audit_rows(&AuditQuery::default(), None, 0, 10)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].result.as_str(), rows[0].detail.as_str()),
            ("failed", "registry said 405")
        );
    }
}
