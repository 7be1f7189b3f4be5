//! The one place a manifest is deleted. Both the no-JS form and the
//! server function come through here, so the checks cannot drift apart.

use super::session::Caller;
use super::state::AppState;
use crate::error::AppError;
use crate::server::inventory::{check_digest, check_repository};

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
    check_repository(repo)?;
    check_digest(digest)?;
    state
        .registry()
        .delete_manifest(&caller.credentials, repo, digest)
        .await?;
    // Lists that showed it are stale now, for every user.
    state.lists().invalidate_repo(repo);
    state
        .registry()
        .content_cache()
        .forget_manifest(digest)
        .await;
    tracing::info!(user = %caller.viewer.username, %repo, %digest, "deleted manifest");
    Ok(())
}
