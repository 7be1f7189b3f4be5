//! The one place a manifest is deleted. Both the no-JS form and the
//! server function come through here, so the checks cannot drift apart.

use super::session::Caller;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::{Digest, Reference, RegistryError, RepositoryName};

/// Deletes one confirmed digest after checking role, CSRF token and input.
pub async fn delete_confirmed(
    state: &AppState,
    caller: &Caller,
    repo: &str,
    digest: &str,
    csrf: &str,
) -> Result<(), AppError> {
    caller.require_delete()?;
    caller.check_csrf(csrf)?;
    let repo = &RepositoryName::parse(repo)?;
    let digest = &Digest::parse(digest)?;
    // Two admins deleting the same image at the same moment: one at a time
    // here, and the second finds it gone (a HEAD first) instead of being
    // told it deleted something twice.
    let lock = state
        .shared
        .deleting
        .get_with(format!("{repo}@{digest}"), async { Default::default() })
        .await;
    let _one_at_a_time = lock.lock().await;
    let gone = || {
        AppError::NotFound(format!(
            "This image was already deleted: the registry no longer has {digest} in {repo}. Nothing else was removed."
        ))
    };
    let reg = state.registry();
    match reg
        .head_manifest(&caller.credentials, repo, &Reference::from(digest))
        .await
    {
        Err(RegistryError::NotFound(_)) => return Err(gone()),
        Err(e) => return Err(e.into()),
        Ok(_) => {}
    }
    match reg.delete_manifest(&caller.credentials, repo, digest).await {
        Err(RegistryError::NotFound(_)) => return Err(gone()),
        other => other?,
    }
    // Lists that showed it are stale now, for every user.
    state.repository_changed(repo.as_str()).await;
    tracing::info!(user = %caller.viewer.username, %repo, %digest, "deleted manifest");
    Ok(())
}
