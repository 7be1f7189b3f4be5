//! Reading the registry into the shapes the pages show: repository lists,
//! tag rows with size/date/platforms, tag details and delete plans.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};

use super::state::AppState;
use crate::error::AppError;
use crate::model::*;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{
    digest, reference, signatures, Credentials, ManifestHead, RegistryClient, RegistryError,
};

/// Per-tag fetches run this many at a time: fast, without flooding the registry.
pub const TAG_CONCURRENCY: usize = 16;
/// An index's child manifests are fetched this many at a time.
pub const INDEX_CONCURRENCY: usize = 8;

pub fn check_repository(repo: &str) -> Result<(), AppError> {
    if reference::is_valid_repository(repo) {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!(
            "{repo:?} is not a valid repository name"
        )))
    }
}

pub fn check_tag(tag: &str) -> Result<(), AppError> {
    if reference::is_valid_tag(tag) {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!("{tag:?} is not a valid tag")))
    }
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

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
                AppError::NotFound(format!("The registry has no catalog ({m}).")),
            )
            .await)
        }
        Err(RegistryError::Denied(_)) => {
            return Err(AppError::Forbidden(
                "your registry account may not list repositories (registry:catalog:*). \
                 A repository you may pull still opens at /r/<name>."
                    .into(),
            ))
        }
        other => other?,
    };
    let mut repositories = listed.names;
    repositories.sort();
    repositories.dedup();
    Ok(RepoList {
        repositories,
        skipped: listed.rejected.len(),
    })
}

/// Tags of a repository; a repository without tags is "not found".
pub async fn tags_of(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
) -> Result<crate::registry::NameList, AppError> {
    match reg.tags_checked(creds, repo).await {
        Ok(tags) => Ok(tags),
        Err(RegistryError::NotFound(_)) => Err(AppError::NotFound(format!(
            "There is no repository named {repo}."
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The tag list through the per-user list cache, with `now` fresh.
pub async fn cached_tag_list(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
) -> Result<TagList, AppError> {
    check_repository(repo)?;
    let host = state.settings().public_host.clone();
    let (reg, who, name) = (state.registry().clone(), creds.clone(), repo.to_string());
    let load = async move { tag_list(&reg, &who, &name, &host).await };
    let cached = state
        .lists()
        .tag_list(&creds.fingerprint(), repo, load)
        .await?;
    let mut list = TagList::clone(&cached);
    list.now = now();
    Ok(list)
}

pub async fn tag_list(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    pull_host: &str,
) -> Result<TagList, AppError> {
    check_repository(repo)?;
    let listed = tags_of(reg, creds, repo).await?;
    let mut rows: Vec<TagRow> = stream::iter(listed.names)
        .map(|tag| async move { summarize(reg, creds, repo, tag).await })
        .buffer_unordered(TAG_CONCURRENCY)
        .collect()
        .await;
    // The registry being down shows as one error page, not N broken rows.
    if let Some(TagRow { error: Some(e), .. }) = rows.iter().find(|r| {
        r.error
            .as_deref()
            .is_some_and(|e| e.starts_with("unreachable:"))
    }) {
        return Err(AppError::RegistryUnreachable {
            url: reg.base().to_string(),
            detail: e.trim_start_matches("unreachable:").trim().into(),
        });
    }
    mark_shared_digests(&mut rows);
    attach_signatures(&mut rows);
    rows.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok(TagList {
        repository: repo.to_string(),
        pull_host: pull_host.to_string(),
        rows,
        skipped: listed.rejected.len(),
        now: now(),
    })
}

fn mark_shared_digests(rows: &mut [TagRow]) {
    let mut by_digest: HashMap<String, Vec<String>> = HashMap::new();
    for r in rows.iter().filter(|r| !r.digest.is_empty()) {
        by_digest
            .entry(r.digest.clone())
            .or_default()
            .push(r.tag.clone());
    }
    for r in rows.iter_mut() {
        if let Some(tags) = by_digest.get(&r.digest) {
            let mut others: Vec<String> = tags.iter().filter(|t| **t != r.tag).cloned().collect();
            others.sort();
            r.shares_digest_with = others;
        }
    }
}

/// One tag's row. A failure becomes a row with an error, so one bad tag
/// never hides the others.
async fn summarize(reg: &RegistryClient, creds: &Credentials, repo: &str, tag: String) -> TagRow {
    let signature_of = signatures::parse_tag(&tag).map(|(d, _)| d);
    let mut row = TagRow {
        tag,
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
    };
    if let Err(e) = fill_row(reg, creds, repo, &mut row).await {
        row.error = Some(match e {
            RegistryError::Unreachable { detail, .. } => format!("unreachable: {detail}"),
            other => other.to_string(),
        });
    }
    row
}

async fn fill_row(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    row: &mut TagRow,
) -> Result<(), RegistryError> {
    let fetched = reg.manifest(creds, repo, &row.tag).await?;
    row.digest = fetched.digest.clone();
    match manifest::parse(&fetched)? {
        Parsed::Image(m) => {
            row.size = Some(manifest::image_size(&m));
            if let Some(kind) = manifest::artifact_type(&m) {
                row.artifact = Some(artifact_label(reg, creds, repo, &m, kind).await);
                return Ok(());
            }
            let config = manifest::parse_config(
                &reg.blob(creds, repo, m.config().digest().as_ref()).await?,
            )?;
            row.created = parse_time(config.created().as_deref());
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
            let children: Vec<_> = index
                .manifests()
                .iter()
                .filter(|d| !manifest::is_attestation(d))
                .collect();
            // Children are fetched concurrently, in order; the registry
            // client's own bound keeps a huge index from flooding it.
            let digests: Vec<String> = children.iter().map(|c| c.digest().to_string()).collect();
            let fetched: Vec<_> = stream::iter(digests)
                .map(|digest| async move {
                    let image = reg.manifest(creds, repo, &digest).await;
                    (digest, image)
                })
                .buffered(INDEX_CONCURRENCY)
                .collect()
                .await;
            for (child, (digest, image)) in children.iter().zip(fetched) {
                let platform = child
                    .platform()
                    .as_ref()
                    .map(manifest::platform_string)
                    .unwrap_or_else(|| "unknown".into());
                let missing = matches!(image, Err(RegistryError::NotFound(_)));
                if let Err(RegistryError::Unreachable { .. }) = image {
                    return image.map(|_| ());
                }
                let parsed = image.as_ref().ok().and_then(|f| manifest::parse(f).ok());
                let size = match &parsed {
                    Some(Parsed::Image(m)) => {
                        if row.created.is_none() {
                            if let Ok(body) =
                                reg.blob(creds, repo, m.config().digest().as_ref()).await
                            {
                                row.created = manifest::parse_config(&body)
                                    .ok()
                                    .and_then(|c| parse_time(c.created().as_deref()));
                            }
                        }
                        Some(manifest::image_size(m))
                    }
                    _ => None,
                };
                row.platforms.push(PlatformSize {
                    attested: attested.contains(&digest),
                    platform,
                    size,
                    missing,
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

/// "Helm chart web 1.2.0" for a chart, else the artifact type.
pub async fn artifact_label(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    m: &oci_spec::image::ImageManifest,
    kind: String,
) -> String {
    if manifest::is_helm_chart(m) {
        if let Ok(chart) = reg
            .blob(creds, repo, m.config().digest().as_ref())
            .await
            .and_then(|b| manifest::parse_helm_config(&b))
        {
            return format!("Helm chart {} {}", chart.name, chart.version);
        }
        return "Helm chart".into();
    }
    kind
}

/// Cosign-style tags hang under the image whose digest they name.
fn attach_signatures(rows: &mut [TagRow]) {
    let mut by_subject: HashMap<String, Vec<SignatureTag>> = HashMap::new();
    for r in rows.iter() {
        if let Some((subject, kind)) = signatures::parse_tag(&r.tag) {
            by_subject.entry(subject).or_default().push(SignatureTag {
                tag: r.tag.clone(),
                kind: kind.label().into(),
            });
        }
    }
    for r in rows.iter_mut() {
        if let Some(sigs) = by_subject.get(&r.digest) {
            r.signatures = sigs.clone();
            r.signatures.sort_by(|a, b| a.tag.cmp(&b.tag));
        }
    }
}

pub fn parse_time(s: Option<&str>) -> Option<i64> {
    s.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp())
}

/// Tag → digest for a whole repository, with `HEAD` and every manifest type.
pub async fn tag_digests(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(
        tag_heads(reg, creds, repo, tags_of(reg, creds, repo).await?.names)
            .await?
            .into_iter()
            .map(|(t, h)| (t, h.digest))
            .collect(),
    )
}

/// `HEAD` of each tag (digest and media type), 16 at a time.
pub async fn tag_heads(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    tags: Vec<String>,
) -> Result<Vec<(String, ManifestHead)>, AppError> {
    let results: Vec<Result<(String, ManifestHead), RegistryError>> = stream::iter(tags)
        .map(|tag| async move { reg.head_manifest(creds, repo, &tag).await.map(|h| (tag, h)) })
        .buffer_unordered(TAG_CONCURRENCY)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        match r {
            Ok(pair) => out.push(pair),
            // A tag deleted while we looked is simply gone.
            Err(RegistryError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// A digest the user confirmed, checked for shape before it reaches a URL.
pub fn check_digest(d: &str) -> Result<(), AppError> {
    if digest::is_valid(d) {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!(
            "{d:?} is not a sha256 digest"
        )))
    }
}
