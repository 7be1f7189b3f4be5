//! Repository pages from the index: after a restart or a list's TTL, a
//! repository the index holds is shown at once from it, and its tags are
//! checked with the registry in the background (tag list, a `HEAD` per tag;
//! new digests described). A change found drops the cached lists, so the
//! next view shows it. The page says when the tags were last checked, and
//! its "Check now" link (`?refresh=1`) checks before it renders.
//!
//! Only for callers who may read the repository with their own
//! credentials (`visibility`); anyone else gets the live walk and the
//! registry's own answer. Deletes never read from here.

use crate::error::AppError;
use crate::model::TagList;
use crate::registry::{Credentials, RepositoryName};
use crate::server::clock::{now, now_ms};
use crate::server::state::AppState;

/// The repository's tag list from the index, or `None` when the index
/// cannot give it (off, never listed, a tag not described, or the caller
/// may not read it): the live walk then makes it.
pub async fn from_index(
    state: &AppState,
    creds: &Credentials,
    repo: &RepositoryName,
    pull_host: &str,
) -> Option<TagList> {
    let ix = state.indexer();
    if !ix.enabled() {
        return None;
    }
    let held = match state.database().index_repository_rows(repo.as_str()).await {
        Ok(held) => held?,
        Err(e) => {
            tracing::warn!(error = %e, %repo, "index unreadable; listing from the registry");
            return None;
        }
    };
    let mut rows = super::rows::tag_rows(&held)?;
    // An error here (the registry down, say) is the live walk's to report.
    if !super::visibility::can_read(state, creds, repo.as_str())
        .await
        .ok()?
    {
        return None;
    }
    crate::server::inventory::finish_rows(&mut rows);
    if now_ms() - held.listed_ms > state.settings().list_ttl.as_millis() as i64 {
        revalidate_in_background(state, repo);
    }
    Some(TagList {
        repository: repo.to_string(),
        pull_host: pull_host.to_string(),
        rows,
        skipped: usize::try_from(held.skipped).unwrap_or(0),
        now: now(),
        checked: held.listed_ms / 1000,
    })
}

fn revalidate_in_background(state: &AppState, repo: &RepositoryName) {
    let (state, repo) = (state.clone(), repo.clone());
    tokio::spawn(async move {
        match state.indexer().revalidate(&repo, false).await {
            Some(Ok(changes)) if changes.any() => state.repository_changed(repo.as_str()).await,
            Some(Err(e)) => tracing::warn!(error = %e, %repo, "index: revalidation failed"),
            _ => {}
        }
    });
}

/// "Check now": the repository's tags checked with the registry before
/// the page is made, and the caller's cached list of it dropped. Only for
/// a caller who may read it: the check walks it with the index account,
/// and how long that takes would tell whether it exists.
pub async fn refresh(state: &AppState, creds: &Credentials, repo: &str) -> Result<(), AppError> {
    let repo = RepositoryName::parse(repo)?;
    if !matches!(
        super::visibility::can_read(state, creds, repo.as_str()).await,
        Ok(true)
    ) {
        // The page itself then gets the registry's own answer.
        return Ok(());
    }
    if let Some(Err(e)) = state.indexer().revalidate(&repo, true).await {
        tracing::warn!(error = %e, %repo, "index: a check asked for failed");
    }
    state
        .lists()
        .invalidate(&creds.fingerprint(), repo.as_str())
        .await;
    Ok(())
}
