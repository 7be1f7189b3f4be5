//! "Remove this tag only": `DELETE /v2/<name>/manifests/<tag>`, which newer
//! registries (distribution 3, zot) support and registry:2 does not. Support
//! is learned once per process by trying a tag that cannot exist.

use super::audit::{self, Action, Subject};
use super::session::Caller;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::deletes::classify_tag_delete_probe as classify_probe;
use crate::registry::{Credentials, RegistryError, RepositoryName, Tag};

/// True when the registry can remove a tag alone. Probes once with a
/// random tag (never an existing one) and remembers a clear answer.
pub async fn supported(state: &AppState, creds: &Credentials, repo: &RepositoryName) -> bool {
    if let Some(known) = state.shared.tag_delete.get() {
        return *known;
    }
    if state.settings().read_only {
        return false;
    }
    let Ok(probe_tag) = Tag::parse(&format!("berth-probe-{}", super::session::new_csrf_token()))
    else {
        return false;
    };
    let answer = state.registry().delete_tag(creds, repo, &probe_tag).await;
    match classify_probe(&answer) {
        Some(v) => {
            let _ = state.shared.tag_delete.set(v);
            v
        }
        None => false,
    }
}

/// Removes one confirmed tag (not its manifest) after the same checks as a
/// manifest delete.
pub async fn remove_tag_confirmed(
    state: &AppState,
    caller: &Caller,
    repo: &str,
    tag: &str,
    csrf: &str,
) -> Result<(), AppError> {
    caller.require_delete()?;
    caller.check_csrf(csrf)?;
    let repo = &RepositoryName::parse(repo)?;
    let tag = &Tag::parse(tag)?;
    super::deletion::refuse_protected(state, &[tag.to_string()])?;
    let subject = Subject {
        repository: repo.to_string(),
        tags: vec![tag.to_string()],
        digest: String::new(),
        detail: String::new(),
    };
    let row = audit::start(state, caller, Action::RemoveTag, subject).await?;
    let outcome = match state
        .registry()
        .delete_tag(&caller.credentials, repo, tag)
        .await
    {
        Err(RegistryError::Unsupported(_)) => {
            let _ = state.shared.tag_delete.set(false);
            Err(AppError::BadRequest(crate::t!("error-no-tag-removal")))
        }
        other => other.map_err(AppError::from),
    };
    row.finish(state, &outcome).await;
    outcome?;
    state.repository_changed(repo.as_str()).await;
    if let Err(e) = state.indexer().deleted(repo, Some(tag), None).await {
        tracing::warn!(error = %e, %repo, %tag, "index: a tag removal not recorded; the next sync will");
    }
    tracing::info!(user = %caller.viewer.username, %repo, %tag, "removed tag");
    Ok(())
}
