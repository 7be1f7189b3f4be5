//! Retention's tables: the policies written in the admin form, and every
//! run with its report. A scheduled run is claimed by inserting it under a
//! unique name for its policy and time, so one replica runs it.

use sqlx::FromRow;

use super::database::Database;
use super::index::err;
use crate::model::retention::RunRow;

/// A running run whose replica has not written for this long stopped.
const HEARTBEAT_LOST_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPolicy {
    pub name: String,
    /// The policy as a TOML table.
    pub spec: String,
    pub updated_ms: i64,
    pub updated_by: String,
}

/// A run about to start.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub policy: String,
    pub kind: &'static str,
    pub cause: &'static str,
    /// For a scheduled run: its policy and time, unique.
    pub claim: Option<String>,
    pub actor: String,
    pub started_ms: i64,
}

/// Where a run stands; written as it goes.
#[derive(Debug, Clone, Default)]
pub struct RunProgress {
    pub status: String,
    pub plan_hash: String,
    pub total: i64,
    pub deleted: i64,
    pub failed: i64,
    /// The report as JSON; `None` leaves the stored one.
    pub report: Option<String>,
    pub finished_ms: Option<i64>,
}

#[derive(FromRow)]
struct StoredRun {
    id: i64,
    policy: String,
    kind: String,
    cause: String,
    actor: String,
    started_ms: i64,
    heartbeat_ms: i64,
    finished_ms: Option<i64>,
    status: String,
    plan_hash: String,
    total: i64,
    deleted: i64,
    failed: i64,
}

impl StoredRun {
    fn row(self, now_ms: i64) -> RunRow {
        let status = if self.status == "running" && now_ms - self.heartbeat_ms > HEARTBEAT_LOST_MS {
            "interrupted".to_string()
        } else {
            self.status
        };
        RunRow {
            id: self.id,
            policy: self.policy,
            kind: self.kind,
            cause: self.cause,
            actor: self.actor,
            started_ms: self.started_ms,
            finished_ms: self.finished_ms,
            status,
            plan_hash: self.plan_hash,
            total: self.total,
            deleted: self.deleted,
            failed: self.failed,
        }
    }
}

const RUN_COLUMNS: &str = "id, policy, kind, cause, actor, started_ms, heartbeat_ms, finished_ms, status, plan_hash, total, deleted, failed";

impl Database {
    pub async fn retention_policies(&self) -> Result<Vec<StoredPolicy>, String> {
        on_pool!(self, |pool| sqlx::query_as::<_, StoredPolicy>(
            "SELECT name, spec, updated_ms, updated_by FROM retention_policies ORDER BY name"
        )
        .fetch_all(pool)
        .await)
        .map_err(err)
    }

    /// Saves a policy under `name`, replacing `original` (a rename, or the
    /// same name). `Ok(false)` when a new name is already taken.
    pub async fn retention_policy_save(
        &self,
        original: &str,
        policy: &StoredPolicy,
    ) -> Result<bool, String> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await.map_err(err)?;
            if original != policy.name {
                let taken: Option<String> =
                    sqlx::query_scalar("SELECT name FROM retention_policies WHERE name = $1")
                        .bind(&policy.name)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(err)?;
                if taken.is_some() {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM retention_policies WHERE name = $1")
                    .bind(original)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            }
            sqlx::query(
                "INSERT INTO retention_policies (name, spec, updated_ms, updated_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by",
            )
            .bind(&policy.name)
            .bind(&policy.spec)
            .bind(policy.updated_ms)
            .bind(&policy.updated_by)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            tx.commit().await.map_err(err)?;
            Ok(true)
        })
    }

    /// `Ok(false)` when there was no such policy.
    pub async fn retention_policy_delete(&self, name: &str) -> Result<bool, String> {
        let n = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM retention_policies WHERE name = $1"
        )
        .bind(name)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(err)?;
        Ok(n > 0)
    }

    /// Starts a run; `Ok(None)` when its claim was taken (another replica
    /// runs that scheduled time).
    pub async fn retention_run_start(&self, run: &NewRun) -> Result<Option<i64>, String> {
        on_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "INSERT INTO retention_runs (policy, kind, cause, claim, actor, started_ms, heartbeat_ms, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, 'running') ON CONFLICT (claim) DO NOTHING RETURNING id",
        )
        .bind(&run.policy)
        .bind(run.kind)
        .bind(run.cause)
        .bind(&run.claim)
        .bind(&run.actor)
        .bind(run.started_ms)
        .fetch_optional(pool)
        .await)
        .map_err(err)
    }

    pub async fn retention_run_update(&self, id: i64, p: &RunProgress) -> Result<(), String> {
        let now = chrono::Utc::now().timestamp_millis();
        on_pool!(self, |pool| sqlx::query(
            "UPDATE retention_runs SET status = $2, plan_hash = $3, total = $4, deleted = $5, failed = $6, \
             report = COALESCE($7, report), finished_ms = $8, heartbeat_ms = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(&p.status)
        .bind(&p.plan_hash)
        .bind(p.total)
        .bind(p.deleted)
        .bind(p.failed)
        .bind(&p.report)
        .bind(p.finished_ms)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))
        .map_err(err)
    }

    /// The newest runs first.
    pub async fn retention_runs(&self, limit: i64) -> Result<Vec<RunRow>, String> {
        let now = chrono::Utc::now().timestamp_millis();
        let sql = format!("SELECT {RUN_COLUMNS} FROM retention_runs ORDER BY id DESC LIMIT $1");
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, StoredRun>(&sql)
            .bind(limit)
            .fetch_all(pool)
            .await)
        .map_err(err)?;
        Ok(rows.into_iter().map(|r| r.row(now)).collect())
    }

    /// One run and its report (JSON, empty until it has one).
    pub async fn retention_run(&self, id: i64) -> Result<Option<(RunRow, String)>, String> {
        let now = chrono::Utc::now().timestamp_millis();
        let sql = format!("SELECT {RUN_COLUMNS} FROM retention_runs WHERE id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as::<_, StoredRun>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
        .map_err(err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let report: String = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT report FROM retention_runs WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await)
        .map_err(err)?;
        Ok(Some((row.row(now), report)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::database::temp_database;

    fn new_run(claim: Option<&str>) -> NewRun {
        NewRun {
            policy: "ci".into(),
            kind: "apply",
            cause: "schedule",
            claim: claim.map(str::to_string),
            actor: "scheduler".into(),
            started_ms: 1_000,
        }
    }

    #[tokio::test]
    async fn a_claim_is_won_once_and_manual_runs_never_clash() {
        let (_dir, db) = temp_database().await;
        assert!(db
            .retention_run_start(&new_run(Some("ci@60000")))
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            db.retention_run_start(&new_run(Some("ci@60000")))
                .await
                .unwrap(),
            None
        );
        assert!(db
            .retention_run_start(&new_run(None))
            .await
            .unwrap()
            .is_some());
        assert!(db
            .retention_run_start(&new_run(None))
            .await
            .unwrap()
            .is_some());
        assert_eq!(db.retention_runs(10).await.unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_run_reads_back_with_its_report_and_goes_stale_without_heartbeat() {
        let (_dir, db) = temp_database().await;
        let id = db
            .retention_run_start(&new_run(None))
            .await
            .unwrap()
            .unwrap();
        // Started long ago and never written since: its replica stopped.
        let (row, report) = db.retention_run(id).await.unwrap().unwrap();
        assert_eq!(row.status, "interrupted");
        assert_eq!(report, "");
        db.retention_run_update(
            id,
            &RunProgress {
                status: "done".into(),
                plan_hash: "abc".into(),
                total: 3,
                deleted: 3,
                report: Some("{}".into()),
                finished_ms: Some(2_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (row, report) = db.retention_run(id).await.unwrap().unwrap();
        assert_eq!(
            (row.status.as_str(), row.deleted, report.as_str()),
            ("done", 3, "{}")
        );
        assert_eq!(db.retention_run(id + 1).await.unwrap(), None);
    }

    #[tokio::test]
    async fn policies_save_rename_refuse_a_taken_name_and_delete() {
        let (_dir, db) = temp_database().await;
        let p = |name: &str| StoredPolicy {
            name: name.into(),
            spec: format!("name = \"{name}\""),
            updated_ms: 1,
            updated_by: "admin".into(),
        };
        assert!(db.retention_policy_save("", &p("a")).await.unwrap());
        assert!(db.retention_policy_save("", &p("b")).await.unwrap());
        assert!(
            !db.retention_policy_save("a", &p("b")).await.unwrap(),
            "b is taken"
        );
        assert!(db.retention_policy_save("a", &p("c")).await.unwrap());
        let names: Vec<String> = db
            .retention_policies()
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["b", "c"]);
        assert!(db.retention_policy_delete("b").await.unwrap());
        assert!(!db.retention_policy_delete("b").await.unwrap());
    }
}
