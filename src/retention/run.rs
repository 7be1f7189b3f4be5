//! A plan made from fresh registry state: the snapshot, the planner, and
//! what `garbage-collect` would free per repository, from the index.

use super::plan::{self, Context, Plan};
use super::policy::Policy;
use crate::error::AppError;
use crate::registry::Credentials;
use crate::server::state::AppState;

/// The plan of `policies` (every policy protects what it keeps; `only`
/// limits the deletions to one).
pub async fn plan(
    state: &AppState,
    creds: &Credentials,
    policies: &[Policy],
    only: Option<&str>,
) -> Result<Plan, AppError> {
    let now_ms = crate::server::clock::now_ms();
    let db = state.database();
    let repos = super::snapshot::take(state.registry(), creds, db, policies, now_ms).await?;
    let pulls_seen = db.any_pulls().await.map_err(|e| {
        tracing::error!(error = %e, "retention could not read pull counts");
        AppError::Unavailable(crate::t!("retention-error-database"))
    })?;
    let mut made = plan::plan(
        &repos,
        &Context {
            policies,
            protected: &state.settings().protected_tags,
            now: now_ms / 1000,
            pulls_seen,
        },
    );
    if let Some(name) = only {
        made = made.only(name);
    }
    for p in &mut made.policies {
        for r in &mut p.repositories {
            if !r.digests.is_empty() {
                r.frees_bytes = crate::index::frees::frees(state, &r.repository, &r.digests)
                    .await
                    .bytes;
            } else {
                r.frees_bytes = Some(0);
            }
        }
    }
    Ok(made)
}
