//! Reading the registry into the shapes the pages show: repository lists,
//! tag rows with size/date/platforms, tag details and delete plans.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};

use crate::error::AppError;
use crate::model::*;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{digest, reference, Credentials, RegistryClient, RegistryError};

/// Per-tag fetches run this many at a time: fast, without flooding the registry.
const TAG_CONCURRENCY: usize = 16;

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
    let mut repositories = match reg.catalog(creds).await {
        Err(RegistryError::NotFound(m)) => {
            return Err(diagnose_not_found(
                reg,
                creds,
                AppError::NotFound(format!("The registry has no catalog ({m}).")),
            )
            .await)
        }
        other => other?,
    };
    repositories.sort();
    repositories.dedup();
    Ok(RepoList { repositories })
}

/// Tags of a repository; a repository without tags is "not found".
async fn tags_of(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
) -> Result<Vec<String>, AppError> {
    match reg.tags(creds, repo).await {
        Ok(tags) => Ok(tags),
        Err(RegistryError::NotFound(_)) => Err(AppError::NotFound(format!(
            "There is no repository named {repo}."
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn tag_list(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    pull_host: &str,
) -> Result<TagList, AppError> {
    check_repository(repo)?;
    let tags = tags_of(reg, creds, repo).await?;
    let mut rows: Vec<TagRow> = stream::iter(tags)
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
    rows.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok(TagList {
        repository: repo.to_string(),
        pull_host: pull_host.to_string(),
        rows,
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
    let mut row = TagRow {
        tag,
        digest: String::new(),
        media_type: String::new(),
        is_index: false,
        size: None,
        platforms: Vec::new(),
        created: None,
        shares_digest_with: Vec::new(),
        error: None,
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
    row.media_type = fetched.media_type.clone();
    match manifest::parse(&fetched)? {
        Parsed::Image(m) => {
            row.size = Some(manifest::image_size(&m));
            let config = manifest::parse_config(
                &reg.blob(creds, repo, &m.config().digest().to_string())
                    .await?,
            )?;
            row.created = parse_time(config.created().as_deref());
            row.platforms.push(PlatformSize {
                platform: manifest::config_platform(&config),
                size: row.size,
            });
        }
        Parsed::Index(index) => {
            row.is_index = true;
            for child in index
                .manifests()
                .iter()
                .filter(|d| !manifest::is_attestation(d))
            {
                let platform = child
                    .platform()
                    .as_ref()
                    .map(manifest::platform_string)
                    .unwrap_or_else(|| "unknown".into());
                let image = reg
                    .manifest(creds, repo, &child.digest().to_string())
                    .await
                    .ok();
                let parsed = image.as_ref().and_then(|f| manifest::parse(f).ok());
                let size = match &parsed {
                    Some(Parsed::Image(m)) => {
                        if row.created.is_none() {
                            if let Ok(body) = reg
                                .blob(creds, repo, &m.config().digest().to_string())
                                .await
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
                row.platforms.push(PlatformSize { platform, size });
            }
        }
        Parsed::Other => {}
    }
    Ok(())
}

pub fn parse_time(s: Option<&str>) -> Option<i64> {
    s.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp())
}

pub async fn tag_detail(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    tag: &str,
    pull_host: &str,
) -> Result<TagDetail, AppError> {
    check_repository(repo)?;
    check_tag(tag)?;
    let fetched = match reg.manifest(creds, repo, tag).await {
        Err(RegistryError::NotFound(_)) => {
            return Err(AppError::NotFound(format!(
                "There is no tag {tag} in {repo}."
            )));
        }
        other => other?,
    };
    let (body, total_size, created) = match manifest::parse(&fetched)? {
        Parsed::Image(m) => {
            let image = image_view(reg, creds, repo, fetched.digest.clone(), &m).await?;
            let (size, created) = (image.size, image.created);
            (TagBody::Image(image), Some(size), created)
        }
        Parsed::Index(index) => {
            let mut entries = Vec::new();
            for child in index
                .manifests()
                .iter()
                .filter(|d| !manifest::is_attestation(d))
            {
                let digest = child.digest().to_string();
                let platform = child
                    .platform()
                    .as_ref()
                    .map(manifest::platform_string)
                    .unwrap_or_else(|| "unknown".into());
                let result = async {
                    let f = reg.manifest(creds, repo, &digest).await?;
                    match manifest::parse(&f)? {
                        Parsed::Image(m) => image_view(reg, creds, repo, digest.clone(), &m)
                            .await
                            .map(Some),
                        _ => Ok(None),
                    }
                }
                .await;
                let (image, error) = match result {
                    Ok(image) => (image, None),
                    Err(RegistryError::NotFound(_)) => (
                        None,
                        Some("this platform's manifest is missing from the registry".to_string()),
                    ),
                    Err(e) => (None, Some(e.to_string())),
                };
                entries.push(IndexEntry {
                    platform,
                    digest,
                    image,
                    error,
                });
            }
            let total = entries
                .iter()
                .filter_map(|e| e.image.as_ref().map(|i| i.size))
                .sum();
            let created = entries
                .iter()
                .filter_map(|e| e.image.as_ref().and_then(|i| i.created))
                .max();
            (TagBody::Index(entries), Some(total), created)
        }
        Parsed::Other => (TagBody::Other, None, None),
    };
    let raw_manifest = serde_json::from_slice::<serde_json::Value>(&fetched.body)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| String::from_utf8_lossy(&fetched.body).into_owned());
    // Other tags on the same digest, resolved cheaply with HEAD.
    let siblings = tags_sharing(reg, creds, repo, &fetched.digest)
        .await?
        .into_iter()
        .filter(|t| t != tag)
        .collect();
    Ok(TagDetail {
        repository: repo.to_string(),
        tag: tag.to_string(),
        pull_host: pull_host.to_string(),
        digest: fetched.digest,
        media_type: fetched.media_type,
        total_size,
        created,
        body,
        raw_manifest,
        shares_digest_with: siblings,
        now: now(),
    })
}

async fn image_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    digest: String,
    m: &oci_spec::image::ImageManifest,
) -> Result<ImageView, RegistryError> {
    let config = manifest::parse_config(
        &reg.blob(creds, repo, &m.config().digest().to_string())
            .await?,
    )?;
    let c = config.config().clone().unwrap_or_default();
    let mut labels: Vec<(String, String)> =
        c.labels().clone().unwrap_or_default().into_iter().collect();
    labels.sort();
    let config_view = ImageConfigView {
        platform: manifest::config_platform(&config),
        env: c.env().clone().unwrap_or_default(),
        entrypoint: c.entrypoint().clone().unwrap_or_default(),
        cmd: c.cmd().clone().unwrap_or_default(),
        working_dir: c.working_dir().clone().filter(|s| !s.is_empty()),
        user: c.user().clone().filter(|s| !s.is_empty()),
        exposed_ports: c.exposed_ports().clone().unwrap_or_default(),
        labels,
    };
    let history = config
        .history()
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|h| HistoryStep {
            created: h.created().clone(),
            created_by: h.created_by().clone().unwrap_or_default(),
            empty_layer: h.empty_layer().unwrap_or(false),
        })
        .collect();
    Ok(ImageView {
        digest,
        platform: config_view.platform.clone(),
        size: manifest::image_size(m),
        created: parse_time(config.created().as_deref()),
        config: config_view,
        layers: m
            .layers()
            .iter()
            .map(|l| Layer {
                digest: l.digest().to_string(),
                media_type: l.media_type().to_string(),
                size: l.size(),
            })
            .collect(),
        history,
    })
}

/// Every tag of `repo` whose manifest digest is `target`.
async fn tags_sharing(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    target: &str,
) -> Result<Vec<String>, AppError> {
    let digests = tag_digests(reg, creds, repo).await?;
    let mut tags: Vec<String> = digests
        .into_iter()
        .filter(|(_, d)| d == target)
        .map(|(t, _)| t)
        .collect();
    tags.sort();
    Ok(tags)
}

/// Tag → digest for a whole repository, with `HEAD` and every manifest type.
pub async fn tag_digests(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let tags = tags_of(reg, creds, repo).await?;
    let results: Vec<Result<(String, String), RegistryError>> = stream::iter(tags)
        .map(|tag| async move {
            reg.resolve_digest(creds, repo, &tag)
                .await
                .map(|d| (tag, d))
        })
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

/// What deleting `chosen` tags would remove: their digests, and every other
/// tag on those digests.
pub async fn delete_plan(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    chosen: &[String],
) -> Result<DeletePlan, AppError> {
    check_repository(repo)?;
    if chosen.is_empty() {
        return Err(AppError::BadRequest(
            "Pick at least one tag to delete.".into(),
        ));
    }
    for t in chosen {
        check_tag(t)?;
    }
    let all = tag_digests(reg, creds, repo).await?;
    let mut targets: Vec<DeleteTarget> = Vec::new();
    for tag in chosen {
        let digest = all
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, d)| d.clone())
            .ok_or_else(|| AppError::NotFound(format!("There is no tag {tag} in {repo}.")))?;
        match targets.iter_mut().find(|t| t.digest == digest) {
            Some(t) => t.chosen_tags.push(tag.clone()),
            None => targets.push(DeleteTarget {
                digest,
                chosen_tags: vec![tag.clone()],
                sibling_tags: Vec::new(),
            }),
        }
    }
    for t in &mut targets {
        let mut siblings: Vec<String> = all
            .iter()
            .filter(|(tag, d)| *d == t.digest && !t.chosen_tags.contains(tag))
            .map(|(tag, _)| tag.clone())
            .collect();
        siblings.sort();
        t.sibling_tags = siblings;
    }
    Ok(DeletePlan {
        repository: repo.to_string(),
        targets,
    })
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
