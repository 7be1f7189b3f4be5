//! Who may see what through the index. The index reads the whole registry
//! with one account; a user sees a repository through it only if their own
//! credentials could read it: it must be in their own catalog (cached per
//! user, as the repository list is), and in `registry` mode, where the
//! registry may grant per repository (token auth), a tag list of it must
//! answer with their own credentials (remembered per user and repository
//! for the list TTL).

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::error::AppError;
use crate::registry::{Credentials, RegistryError, RepositoryName};
use crate::server::config::AuthMode;
use crate::server::state::AppState;

/// Repositories checked one by one for one request, at most: results past
/// these are left out rather than shown unchecked.
pub const MAX_CHECKED: usize = 64;
/// Repositories checked at the same time.
const CHECKS_AT_ONCE: usize = 8;

/// Per-user pull checks: (credentials fingerprint, repository) → readable.
pub type PullChecks = moka::future::Cache<(String, String), bool>;

pub fn pull_checks(ttl: std::time::Duration) -> PullChecks {
    moka::future::Cache::builder()
        .max_capacity(100_000)
        .time_to_live(ttl)
        .build()
}

/// The repositories of `wanted` (in order, deduplicated) the caller may read.
pub async fn readable(
    state: &AppState,
    creds: &Credentials,
    wanted: impl IntoIterator<Item = String>,
) -> Result<Vec<String>, AppError> {
    Ok(readable_counted(state, creds, wanted).await?.0)
}

/// [`readable`], and whether some were left unchecked (past
/// [`MAX_CHECKED`]) and so left out.
pub async fn readable_counted(
    state: &AppState,
    creds: &Credentials,
    wanted: impl IntoIterator<Item = String>,
) -> Result<(Vec<String>, bool), AppError> {
    let per_user = state.settings().auth == AuthMode::Registry;
    let catalog: Option<Arc<crate::model::RepoList>> =
        match crate::server::inventory::catalog(state, creds).await {
            Ok(c) => Some(c),
            // A token registry may grant a user some repositories and no
            // catalog: each repository is then checked on its own.
            Err(AppError::Forbidden(_)) if per_user => None,
            Err(e) => return Err(e),
        };
    let listed: Option<HashSet<&str>> = catalog
        .as_ref()
        .map(|c| c.repositories.iter().map(String::as_str).collect());
    let mut seen = HashSet::new();
    let candidates: Vec<String> = wanted
        .into_iter()
        .filter(|r| listed.as_ref().is_none_or(|l| l.contains(r.as_str())))
        .filter(|r| seen.insert(r.clone()))
        .collect();
    // Outside `registry` mode everyone reads with the service account,
    // whose catalog this is: nothing more to check.
    if !per_user {
        return Ok((candidates, false));
    }
    let unchecked = candidates.len() > MAX_CHECKED;
    // Several at a time (each one tag-list request, or none when
    // remembered), in order; the registry client bounds the total.
    let answers: Vec<bool> = stream::iter(candidates.iter().take(MAX_CHECKED).cloned())
        .map(|repo| async move { can_pull(state, creds, &repo).await })
        .buffered(CHECKS_AT_ONCE)
        .try_collect()
        .await?;
    let out = candidates
        .into_iter()
        .zip(answers)
        .filter_map(|(repo, ok)| ok.then_some(repo))
        .collect();
    Ok((out, unchecked))
}

/// One repository, as its own page checks it: the live walk would list its
/// tags with the caller's credentials, so the same tag list must answer
/// them (`registry` mode); everyone else reads with the service account.
pub async fn can_read(state: &AppState, creds: &Credentials, repo: &str) -> Result<bool, AppError> {
    if state.settings().auth != AuthMode::Registry {
        return Ok(true);
    }
    can_pull(state, creds, repo).await
}

async fn can_pull(state: &AppState, creds: &Credentials, repo: &str) -> Result<bool, AppError> {
    let key = (creds.fingerprint(), repo.to_string());
    if let Some(known) = state.pull_checks().get(&key).await {
        return Ok(known);
    }
    let Ok(name) = RepositoryName::parse(repo) else {
        return Ok(false);
    };
    let answer = match state.registry().tags_page(creds, &name, 1).await {
        Ok(_) => true,
        Err(
            RegistryError::Denied(_)
            | RegistryError::Unauthorized { .. }
            | RegistryError::NotFound(_),
        ) => false,
        Err(e) => return Err(e.into()),
    };
    state.pull_checks().insert(key, answer).await;
    Ok(answer)
}
