//! The one place a manifest is deleted. Both the no-JS form and the
//! server function come through here, so the checks cannot drift apart.

use super::audit::{self, Action, Subject};
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
        AppError::NotFound(crate::t!(
            "error-already-deleted",
            digest = digest.to_string(),
            repo = repo.to_string()
        ))
    };
    let reg = state.registry();
    match reg
        .head_manifest(&caller.credentials, repo, &Reference::from(digest))
        .await
    {
        Err(RegistryError::NotFound(_)) => {
            forget(state, repo, digest).await;
            return Err(gone());
        }
        Err(e) => return Err(e.into()),
        Ok(_) => {}
    }
    refuse_protected(state, &protected_now(state, caller, repo, digest).await?)?;
    let tags = tags_pointing_at(state, caller, repo, digest).await;
    // The row first: no delete without one.
    let subject = Subject {
        repository: repo.to_string(),
        tags,
        digest: digest.to_string(),
        detail: String::new(),
    };
    let row = audit::start(state, caller, Action::Delete, subject).await?;
    let outcome = match reg.delete_manifest(&caller.credentials, repo, digest).await {
        Err(RegistryError::NotFound(_)) => Err(gone()),
        other => other.map_err(AppError::from),
    };
    row.finish(state, &outcome).await;
    outcome?;
    // Lists that showed it are stale now, for every user, and the index
    // learns of it here: the registry's event of it may come late or never.
    state.repository_changed(repo.as_str()).await;
    forget(state, repo, digest).await;
    tracing::info!(user = %caller.viewer.username, %repo, %digest, "deleted manifest");
    Ok(())
}

/// The tags that point at `digest`, for the audit row: from the caller's
/// cached list when there is one (the delete page was opened from it),
/// else by a fresh walk of the repository's tags. Unknown stays empty.
/// Never used to decide what is protected: see [`protected_now`].
async fn tags_pointing_at(
    state: &AppState,
    caller: &Caller,
    repo: &RepositoryName,
    digest: &Digest,
) -> Vec<String> {
    if let Some(tags) = state
        .lists()
        .tags_pointing_at(
            &caller.credentials.fingerprint(),
            repo.as_str(),
            digest.as_ref(),
        )
        .await
    {
        return sorted(tags);
    }
    match tags_at(state, caller, repo, digest, |_| true).await {
        Ok(tags) => tags,
        Err(e) => {
            tracing::warn!(error = %e, %repo, "could not list the tags of a digest being deleted");
            Vec::new()
        }
    }
}

/// The protected tags (`BERTH_PROTECTED_TAGS`) on `digest` as the registry
/// has them at this moment: its tag list, and a `HEAD` of each protected
/// name in it. A cached list may be minutes old, and a tag moved onto the
/// digest since would go with it unseen. When the registry cannot say,
/// the delete is refused: not knowing is not "none".
async fn protected_now(
    state: &AppState,
    caller: &Caller,
    repo: &RepositoryName,
    digest: &Digest,
) -> Result<Vec<String>, AppError> {
    let protected = &state.settings().protected_tags;
    if protected.patterns().next().is_none() {
        return Ok(Vec::new());
    }
    tags_at(state, caller, repo, digest, |t| {
        protected.protecting(t.as_str()).is_some()
    })
    .await
    .map_err(|e| {
        tracing::warn!(error = %e, %repo, %digest, "protected tags not checked; delete refused");
        AppError::ProtectionUnknown(e.to_string())
    })
}

/// The tags of `repo` that pass `wanted` and point at `digest`, by a
/// fresh tag list and a `HEAD` of each; a repository without tags has none.
async fn tags_at(
    state: &AppState,
    caller: &Caller,
    repo: &RepositoryName,
    digest: &Digest,
    wanted: impl Fn(&crate::registry::Tag) -> bool,
) -> Result<Vec<String>, RegistryError> {
    let reg = state.registry();
    let names = match reg.tags_checked(&caller.credentials, repo).await {
        Ok(list) => list.names,
        Err(RegistryError::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let names: Vec<_> = names.into_iter().filter(|t| wanted(t)).collect();
    let heads =
        super::repository_tags::tag_heads_raw(reg, &caller.credentials, repo, names).await?;
    Ok(sorted(
        heads
            .into_iter()
            .filter(|(_, head)| &head.digest == digest)
            .map(|(tag, _)| tag.to_string())
            .collect(),
    ))
}

/// Refuses when any of `tags` is protected (`BERTH_PROTECTED_TAGS`):
/// deleting a manifest deletes every tag on it.
pub fn refuse_protected(state: &AppState, tags: &[String]) -> Result<(), AppError> {
    let protected: Vec<&str> = tags
        .iter()
        .filter(|t| state.settings().protected_tags.protecting(t).is_some())
        .map(String::as_str)
        .collect();
    if protected.is_empty() {
        return Ok(());
    }
    Err(AppError::Protected(protected.join(", ")))
}

fn sorted(mut tags: Vec<String>) -> Vec<String> {
    tags.sort();
    tags
}

/// Drops the index's tags at a digest the registry no longer has.
async fn forget(state: &AppState, repo: &RepositoryName, digest: &Digest) {
    if let Err(e) = state.indexer().deleted(repo, None, Some(digest)).await {
        tracing::warn!(error = %e, %repo, %digest, "index: a delete not recorded; the next sync will");
    }
}
