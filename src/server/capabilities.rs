//! The admin capability report: how the backing registry is set up, found
//! by asking it harmless questions.

use std::time::Duration;

use super::clock::now;
use super::state::AppState;
use crate::model::{CapabilityCheck, RegistryReport};
use crate::registry::{Credentials, Digest, ErrorCode, Reference, RegistryError, RepositoryName};

/// Round trips timed for the latency figure (the median is reported).
const LATENCY_SAMPLES: usize = 5;
/// Highest page size tried when looking for the catalog's cap.
const CAP_SEARCH_MAX: usize = 100_000;

fn check(name: &str, verdict: &str, detail: impl Into<String>) -> CapabilityCheck {
    CapabilityCheck {
        name: name.into(),
        verdict: verdict.into(),
        detail: detail.into(),
    }
}

pub async fn report(state: &AppState, creds: &Credentials) -> RegistryReport {
    let reg = state.registry();
    let mut samples = Vec::new();
    let mut first = None;
    let mut unreachable = None;
    for _ in 0..LATENCY_SAMPLES {
        match reg.probe().await {
            Ok(p) => {
                samples.push(p.latency);
                first.get_or_insert(p);
            }
            Err(e) => {
                unreachable = Some(e.to_string());
                break;
            }
        }
    }
    samples.sort();
    let latency_ms = samples
        .get(samples.len() / 2)
        .map(|d: &Duration| (d.as_secs_f64() * 10_000.0).round() / 10.0);
    let mut report = RegistryReport {
        url: reg.base().to_string(),
        api_version: first.as_ref().and_then(|p| p.api_version.clone()),
        auth_scheme: crate::t!("unknown"),
        realm: None,
        service: None,
        latency_ms,
        checks: Vec::new(),
        index: Default::default(),
    };
    let Some(probe) = first else {
        report.checks.push(check(
            "Reachable",
            "no",
            unreachable.unwrap_or_else(|| crate::t!("cap-no-answer")),
        ));
        return report;
    };
    match probe.challenges.first() {
        Some(c) => {
            report.auth_scheme = match c.scheme.as_str() {
                "bearer" => crate::t!("cap-auth-bearer"),
                "basic" => crate::t!("cap-auth-basic"),
                other => other.to_string(),
            };
            report.realm = c.param("realm").map(str::to_string);
            report.service = c.param("service").map(str::to_string);
        }
        None if probe.status == 200 => report.auth_scheme = crate::t!("cap-auth-none"),
        None => {
            report.auth_scheme = crate::t!("cap-auth-unknown", status = probe.status.to_string())
        }
    }
    report.checks.push(check(
        "Registry API v2",
        if probe.status == 200 || probe.status == 401 {
            "yes"
        } else {
            "no"
        },
        crate::t!("cap-v2-answered", status = probe.status.to_string()),
    ));

    let catalog = catalog_checks(state, creds).await;
    let sample_repo = catalog.1.clone();
    report.checks.extend(catalog.0);
    report.checks.push(delete_check(state, creds).await);
    match &sample_repo {
        Some(repo) => {
            report
                .checks
                .push(tag_paging_check(state, creds, repo).await);
            report
                .checks
                .push(referrers_check(state, creds, repo).await);
        }
        None => report.checks.push(check(
            "Tag paging, referrers",
            "unknown",
            crate::t!("cap-no-repository"),
        )),
    }
    report
}

/// The catalog cap, by the largest `n` the registry accepts (registry:2
/// refuses a larger one with `PAGINATION_NUMBER_INVALID`) or by the size of
/// a truncated first page.
async fn catalog_checks(
    state: &AppState,
    creds: &Credentials,
) -> (Vec<CapabilityCheck>, Option<RepositoryName>) {
    let reg = state.registry();
    // One small page is enough to know the catalog works and to pick a
    // repository to probe; the whole catalog is never loaded here.
    let first = match reg.catalog_page(creds, 100).await {
        Ok(p) => p,
        Err(e) => {
            return (
                vec![check(
                    "Catalog",
                    "no",
                    crate::t!("cap-listing-failed", detail = e.to_string()),
                )],
                None,
            );
        }
    };
    let mut out = vec![check(
        "Catalog",
        "yes",
        if first.has_next {
            crate::t!("cap-catalog-first-page-more", n = first.entries)
        } else {
            crate::t!("cap-catalog-first-page", n = first.entries)
        },
    )];
    // A name from the registry is used only if it passes the same check as
    // a name a user types.
    let sample = first.first.and_then(|r| RepositoryName::parse(&r).ok());
    let (mut lo, mut hi) = (1usize, CAP_SEARCH_MAX);
    let mut cap = None;
    match reg.catalog_page(creds, CAP_SEARCH_MAX).await {
        Ok(p) if p.has_next => cap = Some(crate::t!("cap-per-page-truncated", n = p.entries)),
        Ok(_) => cap = Some(crate::t!("cap-no-cap", n = CAP_SEARCH_MAX.to_string())),
        Err(RegistryError::Status {
            code: ErrorCode::PaginationNumberInvalid,
            ..
        }) => {
            // Binary search the largest accepted n (about 17 small requests).
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                match reg.catalog_page(creds, mid).await {
                    Ok(_) => lo = mid,
                    Err(_) => hi = mid - 1,
                }
            }
            cap = Some(crate::t!("cap-per-page-refused", n = lo));
        }
        Err(e) => out.push(check("Catalog page cap", "unknown", e.to_string())),
    }
    if let Some(cap) = cap {
        out.push(check("Catalog page cap", "yes", cap));
    }
    (out, sample)
}

/// DELETE of a digest no manifest has: `MANIFEST_UNKNOWN` when delete is
/// on, `UNSUPPORTED` when it is off. Nothing can be removed.
async fn delete_check(state: &AppState, creds: &Credentials) -> CapabilityCheck {
    let name = "Delete enabled";
    if state.settings().read_only {
        return check(name, "not probed", crate::t!("cap-read-only"));
    }
    // A repository name Berth makes up, never one the registry supplied,
    // and the sha256 of a unique, never-pushed string: nothing can match.
    let Ok(repo) = RepositoryName::parse(&format!(
        "berth-capability-probe/{}",
        &super::session::new_csrf_token()[..16]
    )) else {
        return check(name, "unknown", crate::t!("cap-no-probe-name"));
    };
    let absent = Digest::of(
        format!(
            "berth capability probe {} {}",
            now(),
            super::session::new_csrf_token()
        )
        .as_bytes(),
    );
    match state
        .registry()
        .delete_manifest(creds, &repo, &absent)
        .await
    {
        Err(RegistryError::NotFound(code)) => check(
            name,
            "yes",
            crate::t!("cap-delete-absent", code = code.to_string()),
        ),
        Err(RegistryError::Unsupported(code)) => check(
            name,
            "no",
            crate::t!("cap-delete-off", code = code.to_string()),
        ),
        Err(RegistryError::Denied(m)) => {
            check(name, "unknown", crate::t!("cap-delete-denied", detail = m))
        }
        Err(e) => check(name, "unknown", e.to_string()),
        Ok(()) => check(name, "yes", crate::t!("cap-delete-accepted")),
    }
}

async fn tag_paging_check(
    state: &AppState,
    creds: &Credentials,
    repo: &RepositoryName,
) -> CapabilityCheck {
    let name = "Tag lists paged";
    match state.registry().tags_page(creds, repo, 1).await {
        Ok(p) if p.has_next => check(
            name,
            "yes",
            crate::t!("cap-tags-paged", repo = repo.to_string()),
        ),
        Ok(p) if p.entries > 1 => check(
            name,
            "no",
            crate::t!("cap-tags-unpaged", repo = repo.to_string(), n = p.entries),
        ),
        Ok(_) => check(
            name,
            "unknown",
            crate::t!("cap-single-tag", repo = repo.to_string()),
        ),
        Err(e) => check(name, "unknown", e.to_string()),
    }
}

async fn referrers_check(
    state: &AppState,
    creds: &Credentials,
    repo: &RepositoryName,
) -> CapabilityCheck {
    let name = "OCI referrers API";
    let reg = state.registry();
    let subject = match reg
        .tags(creds, repo)
        .await
        .ok()
        .and_then(|t| t.into_iter().next())
    {
        Some(tag) => match reg.resolve_digest(creds, repo, &Reference::from(tag)).await {
            Ok(d) => d,
            Err(e) => return check(name, "unknown", e.to_string()),
        },
        None => {
            return check(
                name,
                "unknown",
                crate::t!("cap-no-tag", repo = repo.to_string()),
            )
        }
    };
    match reg.referrers(creds, repo, &subject).await {
        Ok(Some(_)) => check(name, "yes", crate::t!("cap-referrers-yes")),
        Ok(None) => check(name, "no", crate::t!("cap-referrers-no")),
        Err(e) => check(name, "unknown", e.to_string()),
    }
}
