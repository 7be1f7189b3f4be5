//! Runs: a dry run or an apply, asked for on the admin page or by a
//! schedule. Each is a row in the database before it starts; it is carried
//! out in a task of its own (a plan over 10,000 tags takes longer than a
//! page may), and writes its progress and then its report there, so the
//! run's page can follow it and the report stays to be read later.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::apply::{self, Actor, Done};
use crate::model::retention::{Plan, RunReport};
use crate::registry::Credentials;
use crate::server::state::AppState;
use crate::store::retention::{NewRun, RunProgress};

/// How often an apply writes its progress (and heartbeat).
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Clone)]
pub enum Kind {
    DryRun,
    /// Carries out the fresh plan if its hash is the reviewed one; a
    /// scheduled run has none to compare and carries out what it finds.
    Apply {
        reviewed: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Run {
    /// One policy's deletions, or every policy's.
    pub policy: Option<String>,
    pub kind: Kind,
    /// `manual` or `schedule`.
    pub cause: &'static str,
    /// A scheduled run's policy and time, claimed once across replicas.
    pub claim: Option<String>,
    pub actor: Actor,
}

/// Writes the run's row; `Ok(None)` when its claim was taken already.
pub async fn begin(state: &AppState, run: &Run) -> Result<Option<i64>, String> {
    state
        .database()
        .retention_run_start(&NewRun {
            policy: run.policy.clone().unwrap_or_default(),
            kind: match run.kind {
                Kind::DryRun => "dry-run",
                Kind::Apply { .. } => "apply",
            },
            cause: run.cause,
            claim: run.claim.clone(),
            actor: run.actor.username.clone(),
            started_ms: crate::server::clock::now_ms(),
        })
        .await
}

/// Begins the run and carries it out in a task of its own.
pub async fn spawn(state: &AppState, creds: Credentials, run: Run) -> Result<i64, String> {
    let id = begin(state, &run)
        .await?
        .ok_or_else(|| "the run was claimed by another".to_string())?;
    let state = state.clone();
    tokio::spawn(async move { execute(&state, &creds, id, &run).await });
    Ok(id)
}

/// Carries out run `id`, writing how it ends. Every outcome is written:
/// a run never stays "running" unless its process stopped.
pub async fn execute(state: &AppState, creds: &Credentials, id: i64, run: &Run) {
    let plan = match make_plan(state, creds, run).await {
        Ok(plan) => plan,
        Err(error) => {
            tracing::warn!(id, %error, "retention run failed before a plan was made");
            let report = RunReport {
                error,
                ..Default::default()
            };
            finish(state, id, "failed", "", &report).await;
            return;
        }
    };
    let total = plan.deletions().len() as i64;
    let reviewed = match &run.kind {
        Kind::DryRun => {
            let report = RunReport {
                plan: Some(plan.clone()),
                ..Default::default()
            };
            finish_counts(state, id, "done", &plan.plan_hash, total, &report).await;
            return;
        }
        Kind::Apply { reviewed } => reviewed.clone().unwrap_or_else(|| plan.plan_hash.clone()),
    };
    if reviewed != plan.plan_hash {
        let report = RunReport {
            plan: Some(plan.clone()),
            reviewed_hash: reviewed,
            ..Default::default()
        };
        finish_counts(state, id, "stale", &plan.plan_hash, total, &report).await;
        return;
    }
    // What is being deleted shows while it is.
    let mut progress = RunProgress {
        status: "running".into(),
        plan_hash: plan.plan_hash.clone(),
        total,
        report: Some(report_json(&RunReport {
            plan: Some(plan.clone()),
            ..Default::default()
        })),
        ..Default::default()
    };
    write(state, id, &progress).await;
    progress.report = None;
    // Counted as each manifest goes; written at most every PROGRESS_EVERY.
    let counts = Arc::new(Mutex::new((progress, Instant::now())));
    let outcome = apply::apply(state, creds, &run.actor, &plan, &reviewed, |done: &Done| {
        let ok = done.error.is_empty();
        let (state, counts) = (state.clone(), counts.clone());
        Box::pin(async move {
            let due = {
                let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
                if ok {
                    c.0.deleted += 1;
                } else {
                    c.0.failed += 1;
                }
                let due = c.1.elapsed() >= PROGRESS_EVERY;
                if due {
                    c.1 = Instant::now();
                }
                due.then(|| c.0.clone())
            };
            if let Some(p) = due {
                write(&state, id, &p).await;
            }
        })
    })
    .await;
    match outcome {
        Ok(outcome) => {
            let status = if outcome.failed() { "failed" } else { "done" };
            let report = RunReport {
                plan: Some(plan.clone()),
                done: outcome.done,
                skipped: outcome.skipped,
                ..Default::default()
            };
            finish_counts(state, id, status, &plan.plan_hash, total, &report).await;
        }
        // Checked above; kept for the hash apply compares itself.
        Err(error) => {
            let report = RunReport {
                plan: Some(plan.clone()),
                error,
                ..Default::default()
            };
            finish_counts(state, id, "stale", &plan.plan_hash, total, &report).await;
        }
    }
}

async fn make_plan(state: &AppState, creds: &Credentials, run: &Run) -> Result<Plan, String> {
    let policies = super::load::all(state).await?;
    if policies.is_empty() {
        return Err("there is no retention policy".into());
    }
    if let Some(name) = &run.policy {
        if !policies.iter().any(|p| p.name() == name) {
            return Err(format!("no policy is called \"{name}\""));
        }
    }
    super::run::plan(state, creds, &policies, run.policy.as_deref())
        .await
        .map_err(|e| e.to_string())
}

/// Why a run without an account cannot start.
pub const NO_ACCOUNT: &str = "retention needs an account that can read and delete every repository: the service account (BERTH_REGISTRY_USERNAME and BERTH_REGISTRY_PASSWORD) or, in registry mode, BERTH_INDEX_USERNAME and BERTH_INDEX_PASSWORD";

/// Ends run `id` as failed before it made a plan.
pub async fn fail(state: &AppState, id: i64, error: &str) {
    let report = RunReport {
        error: error.to_string(),
        ..Default::default()
    };
    finish(state, id, "failed", "", &report).await;
}

fn report_json(report: &RunReport) -> String {
    serde_json::to_string(report).unwrap_or_default()
}

async fn finish(state: &AppState, id: i64, status: &str, hash: &str, report: &RunReport) {
    finish_counts(state, id, status, hash, 0, report).await;
}

async fn finish_counts(
    state: &AppState,
    id: i64,
    status: &str,
    hash: &str,
    total: i64,
    report: &RunReport,
) {
    let deleted = report.done.iter().filter(|d| d.error.is_empty()).count() as i64;
    let failed = (report.done.len() + report.skipped.len()) as i64 - deleted;
    write(
        state,
        id,
        &RunProgress {
            status: status.into(),
            plan_hash: hash.into(),
            total,
            deleted,
            failed,
            report: Some(report_json(report)),
            finished_ms: Some(crate::server::clock::now_ms()),
        },
    )
    .await;
}

async fn write(state: &AppState, id: i64, progress: &RunProgress) {
    if let Err(e) = state.database().retention_run_update(id, progress).await {
        tracing::error!(error = %e, id, "could not record a retention run's progress");
    }
}
