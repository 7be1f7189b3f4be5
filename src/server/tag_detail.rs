//! One tag in full: an image with its config, layers and history; an index
//! with a row per platform (attestations beside the platform they are
//! about, missing children marked); an artifact; or a legacy manifest.
//! Plus the cosign tags and referrers that point at it.

use futures::stream::{self, StreamExt};
use oci_spec::image::ImageManifest;

use super::artifacts::{artifact_view, layers_of};
use super::clock::now;
use super::index_children::{platform_children, ChildManifest, INDEX_CONCURRENCY};
use super::inventory::shared_tag_list;
use super::signature_view::{referrer_items, signature_view, subject_of_tag, tags_on};
use super::state::AppState;
use crate::error::AppError;
use crate::index::describe;
use crate::model::*;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{
    referrers, Credentials, Digest, Reference, RegistryClient, RegistryError, RepositoryName, Tag,
};
use crate::store::index::IndexKind;

pub async fn tag_detail(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    tag: &str,
) -> Result<TagDetail, AppError> {
    let repo = RepositoryName::parse(repo)?;
    let tag = Tag::parse(tag)?;
    let repo = &repo;
    let reg = state.registry();
    let pull_host = state.settings().public_host.as_str();
    let fetched = super::image_target::tag_manifest(reg, creds, repo, &tag).await?;
    // The repository's (cached) tag list: other tags on the same digest,
    // the tags about this one, and what a signature's subject is called.
    let list = shared_tag_list(state, creds, repo.as_str()).await?;
    let mut read_only = None;
    let (body, total_size, created) = match manifest::parse(&fetched)? {
        // cosign wraps a signature in an image manifest; it is no image.
        Parsed::Image(m) if describe::classify(&m) == IndexKind::Signature => {
            let view = signature_view(reg, creds, repo, tag.as_str(), &m, &list.rows).await;
            (
                TagBody::Signature(view),
                Some(manifest::image_size(&m)),
                None,
            )
        }
        Parsed::Image(m) => match manifest::artifact_type(&m) {
            Some(kind) => {
                let view = artifact_view(reg, creds, repo, &m, kind).await;
                let size = view.size;
                (TagBody::Artifact(view), Some(size), None)
            }
            None => {
                let image = image_view(reg, creds, repo, fetched.digest.to_string(), &m).await?;
                let (size, created) = (image.size, image.created);
                (TagBody::Image(image), Some(size), created)
            }
        },
        // A referrers fallback tag lists artifacts, not platforms.
        Parsed::Index(index) if is_referrers_tag(tag.as_str(), &index) => {
            let subject = subject_of_tag(tag.as_str());
            let view = ReferrersTagView {
                subject_tags: subject
                    .as_deref()
                    .map(|d| tags_on(&list.rows, d))
                    .unwrap_or_default(),
                subject,
                items: referrer_items(&index),
            };
            (TagBody::ReferrersTag(view), None, None)
        }
        Parsed::Index(index) => {
            let body = index_body(reg, creds, repo, &index).await?;
            let total = match &body {
                TagBody::Index { entries, .. } => entries
                    .iter()
                    .filter_map(|e| e.image.as_ref().map(|i| i.size))
                    .fold(0u64, u64::saturating_add),
                _ => 0,
            };
            let created = match &body {
                TagBody::Index { entries, .. } => entries
                    .iter()
                    .filter_map(|e| e.image.as_ref().and_then(|i| i.created))
                    .max(),
                _ => None,
            };
            (body, Some(total), created)
        }
        Parsed::Legacy(l) => {
            read_only = Some(crate::t!("tag-legacy-read-only"));
            let view = LegacyView {
                name: l.name,
                tag: l.tag,
                architecture: l.architecture,
                layer_count: l.fs_layers.len(),
                signed: l.signatures.is_some_and(|s| !s.is_empty()),
            };
            (TagBody::Legacy(view), None, None)
        }
        Parsed::Other => (TagBody::Other, None, None),
    };
    let raw_manifest = serde_json::from_slice::<serde_json::Value>(&fetched.body)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| String::from_utf8_lossy(&fetched.body).into_owned());
    let digest = fetched.digest.as_str();
    let mut siblings: Vec<String> = list
        .rows
        .iter()
        .filter(|r| r.digest == digest && r.tag != tag.as_str())
        .map(|r| r.tag.clone())
        .collect();
    siblings.sort();
    let signatures = super::signature_tags::by_subject(list.rows.iter().map(|r| r.tag.as_str()))
        .remove(digest)
        .unwrap_or_default();
    let referrers = referrers_of(reg, creds, repo, &fetched.digest, &list.rows).await;
    Ok(TagDetail {
        repository: repo.to_string(),
        tag: tag.to_string(),
        pull_host: pull_host.to_string(),
        digest: fetched.digest.to_string(),
        media_type: fetched.media_type,
        total_size,
        created,
        body,
        raw_manifest,
        shares_digest_with: siblings,
        now: now(),
        signatures,
        referrers,
        read_only,
        other_tags: list
            .rows
            .iter()
            .filter(|r| r.tag != tag.as_str())
            // A signature or referrers tag is nothing to compare an image with.
            .filter(|r| crate::registry::signatures::parse_tag(&r.tag).is_none())
            .take(300)
            .map(|r| r.tag.clone())
            .collect(),
    })
}

/// An index under a `sha256-<hex>` tag whose entries name no platform: the
/// fallback tag OCI 1.1 clients write where the referrers API is missing.
fn is_referrers_tag(tag: &str, index: &oci_spec::image::ImageIndex) -> bool {
    matches!(
        crate::registry::signatures::parse_tag(tag),
        Some((_, crate::registry::signatures::SignatureKind::Referrers))
    ) && index.manifests().iter().all(|d| d.platform().is_none())
}

/// Referrers from the OCI 1.1 API, else from the fallback tag. A failure
/// here never breaks the page: referrers are extra information.
async fn referrers_of(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    digest: &Digest,
    rows: &[TagRow],
) -> Option<Referrers> {
    let (source, body) = match reg.referrers(creds, repo, digest).await {
        Ok(Some(body)) => (crate::t!("tag-referrers-api"), body),
        Ok(None) | Err(_) => {
            let fallback = referrers::fallback_tag(digest)?;
            if !rows.iter().any(|r| r.tag == fallback.as_str()) {
                return None;
            }
            let m = reg
                .manifest(creds, repo, &Reference::from(&fallback))
                .await
                .ok()?;
            (
                crate::t!("tag-referrers-fallback", tag = fallback.to_string()),
                m.body,
            )
        }
    };
    let items: Vec<ReferrerView> = referrers::parse(&body)
        .into_iter()
        .map(|r| ReferrerView {
            artifact_type: r
                .artifact_type
                .filter(|t| !t.is_empty())
                .unwrap_or(r.media_type),
            digest: r.digest.into_string(),
            size: r.size,
        })
        .collect();
    (!items.is_empty()).then_some(Referrers { source, items })
}

async fn index_body(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    index: &oci_spec::image::ImageIndex,
) -> Result<TagBody, RegistryError> {
    let mut attestations = Vec::new();
    for child in index
        .manifests()
        .iter()
        .filter(|d| manifest::is_attestation(d))
    {
        attestations.push(attestation_view(reg, creds, repo, child).await);
    }
    let children = platform_children(reg, creds, repo, index).await?;
    let entries: Vec<Result<IndexEntry, RegistryError>> = stream::iter(children)
        .map(|child| async move {
            let (image, error) = match &child.manifest {
                ChildManifest::Image(m) => {
                    match image_view(reg, creds, repo, child.digest.clone(), m).await {
                        Ok(view) => (Some(view), None),
                        Err(e @ RegistryError::Unreachable { .. }) => return Err(e),
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
                ChildManifest::NotImage => (None, None),
                ChildManifest::Missing => (
                    None,
                    Some("this platform's manifest is missing from the registry".to_string()),
                ),
                ChildManifest::Failed(e) => (None, Some(e.clone())),
            };
            Ok(IndexEntry {
                missing: matches!(child.manifest, ChildManifest::Missing),
                platform: child.platform,
                digest: child.digest,
                image,
                error,
                attestation: None,
            })
        })
        .buffered(INDEX_CONCURRENCY)
        .collect()
        .await;
    let mut entries = entries.into_iter().collect::<Result<Vec<_>, _>>()?;
    // Each attestation goes beside the platform it names.
    let mut orphan_attestations = Vec::new();
    for a in attestations {
        match entries
            .iter_mut()
            .find(|e| a.subject.as_deref() == Some(e.digest.as_str()) && e.attestation.is_none())
        {
            Some(entry) => entry.attestation = Some(a),
            None => orphan_attestations.push(a),
        }
    }
    Ok(TagBody::Index {
        entries,
        orphan_attestations,
    })
}

async fn attestation_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    d: &oci_spec::image::Descriptor,
) -> AttestationView {
    let digest = d.digest().to_string();
    let fetched = match manifest::descriptor_digest(d) {
        Ok(typed) => reg.manifest(creds, repo, &Reference::Digest(typed)).await,
        Err(e) => Err(e),
    };
    let (predicate_types, error) = match fetched {
        Ok(f) => match manifest::parse(&f) {
            Ok(Parsed::Image(m)) => (manifest::predicate_types(&m), None),
            Ok(_) => (Vec::new(), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        },
        Err(RegistryError::NotFound(_)) => (
            Vec::new(),
            Some("the attestation manifest is missing from the registry".into()),
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    AttestationView {
        digest,
        subject: manifest::attestation_subject(d),
        predicate_types,
        error,
    }
}

async fn image_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    digest: String,
    m: &ImageManifest,
) -> Result<ImageView, RegistryError> {
    let config =
        manifest::parse_config(&reg.blob(creds, repo, &manifest::config_digest(m)?).await?)?;
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
        created: manifest::created_at(&config),
        config: config_view,
        layers: layers_of(m),
        history,
    })
}
