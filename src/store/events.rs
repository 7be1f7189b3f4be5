//! The registry's notifications as Berth keeps them: manifest events for
//! the activity pages, and pull counts per tag and day for the tag list.

use std::collections::HashMap;

use sqlx::FromRow;

use super::database::Database;
use super::Bind;
use crate::model::ActivityRow;

const DAY_MS: i64 = 86_400_000;

/// Last pull (Unix ms) and pulls in the window asked for, of one tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullStats {
    pub last_ms: i64,
    pub recent: u64,
}

#[derive(FromRow)]
struct StoredEvent {
    event_id: String,
    at_ms: i64,
    action: String,
    repository: String,
    tag: String,
    digest: String,
    media_type: String,
    actor: String,
    client_addr: String,
}

impl From<StoredEvent> for ActivityRow {
    fn from(e: StoredEvent) -> Self {
        ActivityRow {
            event_id: e.event_id,
            at_ms: e.at_ms,
            action: e.action,
            repository: e.repository,
            tag: e.tag,
            digest: e.digest,
            media_type: e.media_type,
            actor: e.actor,
            client_addr: e.client_addr,
        }
    }
}

impl Database {
    /// Stores one event; false when an event with its id is already stored
    /// (the registry redelivers what it thinks was lost). A new pull also
    /// counts towards its tag's day.
    pub async fn record_event(&self, e: &ActivityRow) -> Result<bool, String> {
        let insert = "INSERT INTO registry_events (event_id, at_ms, action, repository, tag, digest, media_type, actor, client_addr) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING";
        let inserted = on_pool!(self, |pool| sqlx::query(insert)
            .bind(&e.event_id)
            .bind(e.at_ms)
            .bind(&e.action)
            .bind(&e.repository)
            .bind(&e.tag)
            .bind(&e.digest)
            .bind(&e.media_type)
            .bind(&e.actor)
            .bind(&e.client_addr)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
        .map_err(|e| e.to_string())?;
        if inserted && e.action == "pull" {
            let count = "INSERT INTO tag_pulls (repository, tag, day, pulls, last_ms) VALUES ($1, $2, $3, 1, $4) \
                         ON CONFLICT (repository, tag, day) DO UPDATE SET pulls = tag_pulls.pulls + 1, \
                         last_ms = CASE WHEN excluded.last_ms > tag_pulls.last_ms THEN excluded.last_ms ELSE tag_pulls.last_ms END";
            on_pool!(self, |pool| sqlx::query(count)
                .bind(&e.repository)
                .bind(&e.tag)
                .bind(e.at_ms.div_euclid(DAY_MS))
                .bind(e.at_ms)
                .execute(pool)
                .await
                .map(drop))
            .map_err(|e| e.to_string())?;
        }
        Ok(inserted)
    }

    /// The newest events, at most `limit`, optionally of one action and one
    /// repository.
    pub async fn recent_events(
        &self,
        action: Option<&str>,
        repository: Option<&str>,
        limit: u64,
    ) -> Result<Vec<ActivityRow>, String> {
        let mut clause = vec!["1 = 1".to_string()];
        let mut binds = Vec::new();
        if let Some(a) = action {
            binds.push(Bind::Text(a.to_string()));
            clause.push(format!("action = ${}", binds.len()));
        }
        if let Some(r) = repository {
            binds.push(Bind::Text(r.to_string()));
            clause.push(format!("repository = ${}", binds.len()));
        }
        binds.push(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT event_id, at_ms, action, repository, tag, digest, media_type, actor, client_addr \
             FROM registry_events WHERE {} ORDER BY at_ms DESC, id DESC LIMIT ${}",
            clause.join(" AND "),
            binds.len()
        );
        let rows: Vec<StoredEvent> = on_pool!(self, |pool| bind_all!(
            sqlx::query_as::<_, StoredEvent>(&sql),
            binds
        )
        .fetch_all(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(rows.into_iter().map(ActivityRow::from).collect())
    }

    /// Per tag of `repository`: the last pull ever counted and the pulls in
    /// the `days` days up to `now_ms`.
    pub async fn pull_stats(
        &self,
        repository: &str,
        now_ms: i64,
        days: i64,
    ) -> Result<HashMap<String, PullStats>, String> {
        let first_day = now_ms.div_euclid(DAY_MS) - days + 1;
        let sql = "SELECT tag, MAX(last_ms), CAST(SUM(CASE WHEN day >= $2 THEN pulls ELSE 0 END) AS BIGINT) \
                   FROM tag_pulls WHERE repository = $1 GROUP BY tag";
        let rows: Vec<(String, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(repository)
            .bind(first_day)
            .fetch_all(pool)
            .await)
        .map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .map(|(tag, last_ms, recent)| {
                (
                    tag,
                    PullStats {
                        last_ms,
                        recent: recent.max(0) as u64,
                    },
                )
            })
            .collect())
    }

    /// Whether any pull was ever counted (retention's pull rule needs them).
    pub async fn any_pulls(&self) -> Result<bool, String> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM tag_pulls LIMIT 1) AS x"
        )
        .fetch_one(pool)
        .await)
        .map_err(|e| e.to_string())?;
        Ok(n > 0)
    }

    /// Deletes events before `before_ms`, and daily pull counts older than
    /// `pull_days_kept` days; returns how many events went.
    pub async fn prune_events(
        &self,
        before_ms: i64,
        pull_days_kept: i64,
        now_ms: i64,
    ) -> Result<u64, String> {
        let events = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM registry_events WHERE at_ms < $1"
        )
        .bind(before_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(|e| e.to_string())?;
        let oldest_day = now_ms.div_euclid(DAY_MS) - pull_days_kept;
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM tag_pulls WHERE day < $1"
        )
        .bind(oldest_day)
        .execute(pool)
        .await
        .map(drop))
        .map_err(|e| e.to_string())?;
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pull(id: &str, at_ms: i64, tag: &str) -> ActivityRow {
        ActivityRow {
            event_id: id.into(),
            at_ms,
            action: "pull".into(),
            repository: "team-a/app".into(),
            tag: tag.into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn redelivered_events_count_once_and_pulls_add_up_per_tag() {
        let (_dir, db) = super::super::database::temp_database().await;
        let now = 100 * DAY_MS + 5_000;
        assert!(db
            .record_event(&pull("a", now - 1_000, "1.0"))
            .await
            .unwrap());
        assert!(!db
            .record_event(&pull("a", now - 1_000, "1.0"))
            .await
            .unwrap());
        assert!(db.record_event(&pull("b", now - 500, "1.0")).await.unwrap());
        // 40 days ago: counts for "last pulled" of 0.9, not for the 30 days.
        assert!(db
            .record_event(&pull("c", now - 40 * DAY_MS, "0.9"))
            .await
            .unwrap());
        let stats = db.pull_stats("team-a/app", now, 30).await.unwrap();
        assert_eq!(
            stats["1.0"],
            PullStats {
                last_ms: now - 500,
                recent: 2
            }
        );
        assert_eq!(
            stats["0.9"],
            PullStats {
                last_ms: now - 40 * DAY_MS,
                recent: 0
            }
        );

        let mut push = pull("d", now, "2.0");
        push.action = "push".into();
        db.record_event(&push).await.unwrap();
        let recent = db.recent_events(None, None, 10).await.unwrap();
        assert_eq!(
            recent
                .iter()
                .map(|e| e.event_id.as_str())
                .collect::<Vec<_>>(),
            ["d", "b", "a", "c"]
        );
        let pushes = db
            .recent_events(Some("push"), Some("team-a/app"), 10)
            .await
            .unwrap();
        assert_eq!(pushes.len(), 1);

        assert_eq!(
            db.prune_events(now - 10 * DAY_MS, 400, now).await.unwrap(),
            1
        );
        assert_eq!(db.recent_events(None, None, 10).await.unwrap().len(), 3);
    }
}
