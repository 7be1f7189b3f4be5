//! Carrying out a reviewed plan. The plan is made again from fresh
//! registry state first; if its hash differs from the one reviewed (a tag
//! moved, a new push), nothing is deleted and the new plan is returned to
//! be reviewed instead. Each deletion is written to the audit log before
//! it is made, under the policy's name; a failure stops that repository
//! and is reported, and the others go on.

use super::plan::Plan;
pub use crate::model::retention::Done;
use crate::model::AuditRow;
use crate::registry::{Credentials, Digest, RegistryClient, RegistryError, RepositoryName};
use crate::server::state::AppState;
use crate::store::Database;

/// Who applies a plan, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub username: String,
    pub client_ip: String,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub done: Vec<Done>,
    /// Manifests not attempted because an earlier one in their repository
    /// failed.
    pub skipped: Vec<Done>,
}

impl Outcome {
    pub fn deleted(&self) -> usize {
        self.done.iter().filter(|d| d.error.is_empty()).count()
    }

    pub fn failed(&self) -> bool {
        self.done.iter().any(|d| !d.error.is_empty()) || !self.skipped.is_empty()
    }
}

/// Deletes the manifests of `fresh`, a plan just made, if it is the plan
/// that was reviewed (`reviewed_hash`); `Err` says why not. `progress`
/// hears of each manifest (its future is awaited before the next).
pub async fn apply(
    state: &AppState,
    creds: &Credentials,
    actor: &Actor,
    fresh: &Plan,
    reviewed_hash: &str,
    mut progress: impl FnMut(&Done) -> futures::future::BoxFuture<'static, ()>,
) -> Result<Outcome, String> {
    let (reg, db) = (state.registry(), state.database());
    if fresh.plan_hash != reviewed_hash {
        return Err(format!(
            "the registry changed since the plan was made (plan {reviewed_hash}, now {}): nothing was deleted; review the new plan",
            fresh.plan_hash
        ));
    }
    let mut outcome = Outcome {
        done: Vec::new(),
        skipped: Vec::new(),
    };
    let mut failed_repos: Vec<String> = Vec::new();
    for (policy, repository, digest) in fresh.deletions() {
        let entry = Done {
            policy: policy.clone(),
            repository: repository.clone(),
            digest: digest.clone(),
            error: String::new(),
        };
        if failed_repos.contains(&repository) {
            outcome.skipped.push(entry);
            continue;
        }
        let tags: Vec<String> = fresh
            .policies
            .iter()
            .flat_map(|p| &p.repositories)
            .filter(|r| r.repository == repository)
            .flat_map(|r| &r.delete)
            .filter(|d| d.digest == digest)
            .map(|d| d.tag.clone())
            .collect();
        let result = delete_one(reg, creds, db, actor, &policy, &repository, &digest, tags).await;
        let done = Done {
            error: result.err().unwrap_or_default(),
            ..entry
        };
        if !done.error.is_empty() {
            failed_repos.push(repository.clone());
        }
        progress(&done).await;
        outcome.done.push(done);
    }
    // Lists that showed them are stale now, here and on other replicas.
    let mut changed: Vec<&str> = outcome
        .done
        .iter()
        .filter(|d| d.error.is_empty())
        .map(|d| d.repository.as_str())
        .collect();
    changed.dedup();
    for repo in changed {
        state.repository_changed(repo).await;
    }
    Ok(outcome)
}

/// One manifest: the audit row first (no delete without one), then the
/// delete, then how it ended.
#[allow(clippy::too_many_arguments)]
async fn delete_one(
    reg: &RegistryClient,
    creds: &Credentials,
    db: &Database,
    actor: &Actor,
    policy: &str,
    repository: &str,
    digest: &str,
    tags: Vec<String>,
) -> Result<(), String> {
    let repo = RepositoryName::parse(repository).map_err(|e| e.to_string())?;
    let parsed = Digest::parse(digest).map_err(|e| e.to_string())?;
    let row = AuditRow {
        id: 0,
        at_ms: chrono::Utc::now().timestamp_millis(),
        username: actor.username.clone(),
        client_ip: actor.client_ip.clone(),
        request_id: actor.request_id.clone(),
        action: "delete".into(),
        repository: repository.to_string(),
        tags,
        digest: digest.to_string(),
        result: "started".into(),
        detail: format!("retention policy \"{policy}\""),
    };
    let id = db
        .audit_insert(&row)
        .await
        .map_err(|e| format!("the audit log could not be written, so nothing was deleted: {e}"))?;
    let outcome = match reg.delete_manifest(creds, &repo, &parsed).await {
        Ok(()) => {
            // The index learns of it now, not at the next sync.
            if let Err(e) = db.index_drop_digest(repository, digest).await {
                tracing::warn!(error = %e, "the index could not drop a deleted manifest");
            }
            Ok(())
        }
        // Gone already (another admin, another replica): what the plan
        // wanted, but said.
        Err(RegistryError::NotFound(_)) => Err("already gone".to_string()),
        Err(e) => Err(e.to_string()),
    };
    let (result, detail) = match &outcome {
        Ok(()) => ("ok", format!("retention policy \"{policy}\"")),
        Err(e) => ("failed", format!("retention policy \"{policy}\": {e}")),
    };
    if let Err(e) = db.audit_finish(id, result, &detail).await {
        tracing::error!(error = %e, id, "could not record how a retention delete ended");
    }
    outcome
}
