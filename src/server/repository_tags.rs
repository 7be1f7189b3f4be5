//! A repository's tags as the registry lists them, and each tag's digest
//! and media type by a fresh `HEAD`: what the tag list and a delete plan
//! both start from.

use futures::stream::{self, StreamExt};

use crate::error::AppError;
use crate::registry::{
    Credentials, ManifestHead, NameList, Reference, RegistryClient, RegistryError, RepositoryName,
    Tag,
};

/// Per-tag fetches run this many at a time: fast, without flooding the registry.
pub const TAG_CONCURRENCY: usize = 16;

/// Tags of a repository; a repository without tags is "not found".
pub async fn tags_of(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
) -> Result<NameList<Tag>, AppError> {
    match reg.tags_checked(creds, repo).await {
        Ok(tags) => Ok(tags),
        Err(RegistryError::NotFound(_)) => Err(AppError::NotFound(crate::t!(
            "error-no-such-repository",
            repo = repo.to_string()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `HEAD` of each tag (digest and media type), 16 at a time. A tag deleted
/// while we looked is left out.
pub async fn tag_heads(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tags: Vec<Tag>,
) -> Result<Vec<(Tag, ManifestHead)>, AppError> {
    Ok(tag_heads_raw(reg, creds, repo, tags).await?)
}

/// [`tag_heads`] with the registry's own error.
pub async fn tag_heads_raw(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tags: Vec<Tag>,
) -> Result<Vec<(Tag, ManifestHead)>, RegistryError> {
    let results: Vec<Result<(Tag, ManifestHead), RegistryError>> = stream::iter(tags)
        .map(|tag| async move {
            reg.head_manifest(creds, repo, &Reference::from(&tag))
                .await
                .map(|h| (tag, h))
        })
        .buffer_unordered(TAG_CONCURRENCY)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        match r {
            Ok(pair) => out.push(pair),
            Err(RegistryError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
