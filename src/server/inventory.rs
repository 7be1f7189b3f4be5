//! The listing service: the repository list and a repository's tag rows
//! (digest, size, date, platforms, artifacts, signatures), each tag read
//! concurrently and one bad tag never hiding the others.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};

use super::artifacts::{artifact_label, artifact_view};
use super::clock::now;
use super::index_children::{platform_children, ChildManifest};
use super::repository_tags::{tags_of, TAG_CONCURRENCY};
use super::state::AppState;
use crate::error::AppError;
use crate::model::*;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{
    signatures, Credentials, Reference, RegistryClient, RegistryError, RepositoryName, Tag,
};

/// A 404 from a catalog or tag list may mean the server is no registry at
/// all; `GET /v2/` tells the two apart.
async fn diagnose_not_found(
    reg: &RegistryClient,
    creds: &Credentials,
    not_found: AppError,
) -> AppError {
    match reg.ping(creds).await {
        Err(e @ RegistryError::NotV2 { .. }) => e.into(),
        _ => not_found,
    }
}

pub async fn repositories(reg: &RegistryClient, creds: &Credentials) -> Result<RepoList, AppError> {
    let listed = match reg.catalog_checked(creds).await {
        Err(RegistryError::NotFound(m)) => {
            return Err(diagnose_not_found(
                reg,
                creds,
                AppError::NotFound(crate::t!("error-no-catalog", detail = m)),
            )
            .await)
        }
        Err(RegistryError::Denied(_)) => {
            return Err(AppError::Forbidden(crate::t!("error-no-catalog-access")))
        }
        other => other?,
    };
    let mut repositories: Vec<String> = listed.names.into_iter().map(String::from).collect();
    repositories.sort();
    repositories.dedup();
    Ok(RepoList {
        repositories,
        skipped: listed.rejected.len(),
    })
}

/// The tag list through the per-user list cache, shared (not copied):
/// a 50,000-row list is read in place, and only a page of it is copied.
/// The caller's catalog, through the shared list cache.
pub async fn catalog(
    state: &AppState,
    creds: &Credentials,
) -> Result<std::sync::Arc<RepoList>, AppError> {
    let (reg, who) = (state.registry().clone(), creds.clone());
    let load = async move { repositories(&reg, &who).await };
    state.lists().catalog(&creds.fingerprint(), load).await
}

pub async fn shared_tag_list(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
) -> Result<std::sync::Arc<TagList>, AppError> {
    let repo = RepositoryName::parse(repo)?;
    let host = state.settings().public_host.clone();
    let (st, who, name) = (state.clone(), creds.clone(), repo.clone());
    // From the registry index when it holds the repository (checked with
    // the registry in the background), else by walking the registry.
    let load = async move {
        match Box::pin(crate::index::pages::from_index(&st, &who, &name, &host)).await {
            Some(list) => Ok(list),
            None => {
                let list = tag_list(st.registry(), &who, &name, &host).await?;
                // Without an index account, what users open is indexed.
                st.indexer().observed(&name, &who);
                Ok(list)
            }
        }
    };
    state
        .lists()
        .tag_list(&creds.fingerprint(), repo.as_str(), load)
        .await
}

/// One page of a repository's tag table, with `now` fresh.
pub async fn tag_page(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    query: super::table_pages::TagQuery,
) -> Result<TagPage, AppError> {
    let list = shared_tag_list(state, creds, repo).await?;
    let pulls = pull_stats(state, repo).await;
    let mut page = super::table_pages::tag_page(&list, query, state.settings().max_rows, &pulls);
    page.now = now();
    let protected = &state.settings().protected_tags;
    for row in &mut page.rows {
        row.protected = protected.protecting(&row.tag).map(str::to_string);
    }
    Ok(page)
}

/// Pull figures of a repository's tags over the last 30 days; `None` when
/// notifications are off. A database that cannot answer costs the
/// columns, not the page.
async fn pull_stats(state: &AppState, repo: &str) -> super::table_pages::Pulls {
    state.settings().events_token.as_ref()?;
    match state
        .database()
        .pull_stats(repo, chrono::Utc::now().timestamp_millis(), 30)
        .await
    {
        Ok(stats) => Some(stats),
        Err(e) => {
            tracing::warn!(error = %e, %repo, "pull counts unavailable");
            None
        }
    }
}

pub async fn tag_list(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    pull_host: &str,
) -> Result<TagList, AppError> {
    let listed = tags_of(reg, creds, repo).await?;
    let rows: Vec<Result<TagRow, RegistryError>> = stream::iter(listed.names)
        .map(|tag| summarize(reg, creds, repo, tag))
        .buffer_unordered(TAG_CONCURRENCY)
        .collect()
        .await;
    // The registry being down shows as one error page, not N broken rows.
    let mut rows = rows.into_iter().collect::<Result<Vec<_>, _>>()?;
    finish_rows(&mut rows);
    Ok(TagList {
        repository: repo.to_string(),
        pull_host: pull_host.to_string(),
        rows,
        skipped: listed.rejected.len(),
        now: now(),
        checked: now(),
    })
}

/// What a repository's rows need from each other: digests shared between
/// tags, cosign tags grouped with the image they name, and name order.
/// The same for rows from the registry and from the index.
pub fn finish_rows(rows: &mut [TagRow]) {
    mark_shared_digests(rows);
    let signatures = super::signature_tags::by_subject(rows.iter().map(|r| r.tag.as_str()));
    for r in rows.iter_mut() {
        if let Some(sigs) = signatures.get(&r.digest) {
            r.signatures = sigs.clone();
        }
    }
    rows.sort_by(|a, b| a.tag.cmp(&b.tag));
}

fn mark_shared_digests(rows: &mut [TagRow]) {
    let mut by_digest: HashMap<String, Vec<String>> = HashMap::new();
    for r in rows.iter().filter(|r| !r.digest.is_empty()) {
        by_digest
            .entry(r.digest.clone())
            .or_default()
            .push(r.tag.clone());
    }
    for tags in by_digest.values_mut() {
        tags.sort();
    }
    // Each row names a few of the others and counts the rest: a digest
    // with 300 tags would otherwise put 300 names in each of 300 rows.
    for r in rows.iter_mut() {
        if let Some(tags) = by_digest.get(&r.digest) {
            let others = tags.iter().filter(|t| **t != r.tag);
            r.shares_digest_with = others.clone().take(SHARED_NAMED).cloned().collect();
            r.shares_digest_more = others.count().saturating_sub(SHARED_NAMED);
        }
    }
}

/// One tag's row. A failure becomes a row with an error, so one bad tag
/// never hides the others; only an unreachable registry fails the list.
async fn summarize(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tag: Tag,
) -> Result<TagRow, RegistryError> {
    let signature_of = signatures::parse_tag(tag.as_str()).map(|(d, _)| d.into_string());
    let mut row = TagRow {
        tag: tag.to_string(),
        digest: String::new(),
        is_index: false,
        size: None,
        platforms: Vec::new(),
        created: None,
        shares_digest_with: Vec::new(),
        error: None,
        artifact: None,
        legacy: false,
        signatures: Vec::new(),
        signature_of,
        ..Default::default()
    };
    match fill_row(reg, creds, repo, &tag, &mut row).await {
        Ok(()) => {}
        Err(e @ RegistryError::Unreachable { .. }) => return Err(e),
        Err(e) => row.error = Some(e.to_string()),
    }
    Ok(row)
}

async fn fill_row(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tag: &Tag,
    row: &mut TagRow,
) -> Result<(), RegistryError> {
    let fetched = reg.manifest(creds, repo, &Reference::from(tag)).await?;
    row.digest = fetched.digest.to_string();
    match manifest::parse(&fetched)? {
        Parsed::Image(m) => {
            row.size = Some(manifest::image_size(&m));
            if let Some(kind) = manifest::artifact_type(&m) {
                let view = artifact_view(reg, creds, repo, &m, kind).await;
                row.artifact = Some(artifact_label(&view));
                return Ok(());
            }
            let config = manifest::parse_config(
                &reg.blob(creds, repo, &manifest::config_digest(&m)?).await?,
            )?;
            row.created = manifest::created_at(&config);
            row.platforms.push(PlatformSize {
                platform: manifest::config_platform(&config),
                size: row.size,
                attested: false,
                missing: false,
            });
        }
        Parsed::Index(index) => {
            row.is_index = true;
            let attested: Vec<String> = index
                .manifests()
                .iter()
                .filter(|d| manifest::is_attestation(d))
                .filter_map(manifest::attestation_subject)
                .collect();
            for child in platform_children(reg, creds, repo, &index).await? {
                let size = match &child.manifest {
                    ChildManifest::Image(m) => {
                        // The first platform's build date stands for the index.
                        if row.created.is_none() {
                            row.created = first_created(reg, creds, repo, m).await;
                        }
                        Some(manifest::image_size(m))
                    }
                    _ => None,
                };
                row.platforms.push(PlatformSize {
                    attested: attested.contains(&child.digest),
                    missing: matches!(child.manifest, ChildManifest::Missing),
                    platform: child.platform,
                    size,
                });
            }
        }
        Parsed::Legacy(l) => {
            row.legacy = true;
            row.platforms.push(PlatformSize {
                platform: format!("linux/{}", l.architecture),
                size: None,
                attested: false,
                missing: false,
            });
        }
        Parsed::Other => {}
    }
    Ok(())
}

async fn first_created(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    m: &oci_spec::image::ImageManifest,
) -> Option<i64> {
    let digest = manifest::config_digest(m).ok()?;
    let config = manifest::parse_config(&reg.blob(creds, repo, &digest).await.ok()?).ok()?;
    manifest::created_at(&config)
}
