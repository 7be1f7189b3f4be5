//! One tag in full: an image with its config, layers and history; an index
//! with a row per platform (attestations beside the platform they are
//! about, missing children marked); an artifact; or a legacy manifest.
//! Plus the cosign tags and referrers that point at it.

use oci_spec::image::ImageManifest;

use super::inventory::{cached_tag_list, check_repository, check_tag, now, parse_time};
use super::state::AppState;
use crate::error::AppError;
use crate::model::*;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{referrers, signatures, Credentials, RegistryClient, RegistryError};

pub async fn tag_detail(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    tag: &str,
) -> Result<TagDetail, AppError> {
    check_repository(repo)?;
    check_tag(tag)?;
    let reg = state.registry();
    let pull_host = state.settings().public_host.as_str();
    let fetched = match reg.manifest(creds, repo, tag).await {
        Err(RegistryError::NotFound(_)) => {
            return Err(AppError::NotFound(format!(
                "There is no tag {tag} in {repo}."
            )));
        }
        other => other?,
    };
    let mut read_only = None;
    let (body, total_size, created) = match manifest::parse(&fetched)? {
        Parsed::Image(m) => match manifest::artifact_type(&m) {
            Some(kind) => {
                let view = artifact_view(reg, creds, repo, &m, kind).await;
                let size = view.size;
                (TagBody::Artifact(view), Some(size), None)
            }
            None => {
                let image = image_view(reg, creds, repo, fetched.digest.clone(), &m).await?;
                let (size, created) = (image.size, image.created);
                (TagBody::Image(image), Some(size), created)
            }
        },
        Parsed::Index(index) => {
            let body = index_body(reg, creds, repo, &index).await?;
            let total = match &body {
                TagBody::Index { entries, .. } => entries
                    .iter()
                    .filter_map(|e| e.image.as_ref().map(|i| i.size))
                    .sum(),
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
            read_only = Some(
                "This is a legacy Docker schema 1 manifest. Berth shows it read-only; \
                 re-push the image with a current Docker to manage it here."
                    .to_string(),
            );
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
    // Other tags on the same digest, and the tags about this one, from the
    // repository's (cached) tag list.
    let list = cached_tag_list(state, creds, repo).await?;
    let mut siblings: Vec<String> = list
        .rows
        .iter()
        .filter(|r| r.digest == fetched.digest && r.tag != tag)
        .map(|r| r.tag.clone())
        .collect();
    siblings.sort();
    let all_tags: Vec<String> = list.rows.iter().map(|r| r.tag.clone()).collect();
    let signatures = signature_tags(&all_tags, &fetched.digest);
    let referrers = referrers_of(reg, creds, repo, &fetched.digest, &all_tags).await;
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
        signatures,
        referrers,
        read_only,
    })
}

/// Cosign-style tags in `tags` that name `digest`.
fn signature_tags(tags: &[String], digest: &str) -> Vec<SignatureTag> {
    let mut out: Vec<SignatureTag> = tags
        .iter()
        .filter_map(|t| {
            let (subject, kind) = signatures::parse_tag(t)?;
            (subject == digest).then(|| SignatureTag {
                tag: t.clone(),
                kind: kind.label().into(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.tag.cmp(&b.tag));
    out
}

/// Referrers from the OCI 1.1 API, else from the fallback tag. A failure
/// here never breaks the page: referrers are extra information.
async fn referrers_of(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    digest: &str,
    tags: &[String],
) -> Option<Referrers> {
    let (source, body) = match reg.referrers(creds, repo, digest).await {
        Ok(Some(body)) => ("the OCI referrers API".to_string(), body),
        Ok(None) | Err(_) => {
            let fallback = referrers::fallback_tag(digest)?;
            if !tags.contains(&fallback) {
                return None;
            }
            let m = reg.manifest(creds, repo, &fallback).await.ok()?;
            (format!("the fallback tag {fallback}"), m.body)
        }
    };
    let items: Vec<ReferrerView> = referrers::parse(&body)
        .into_iter()
        .map(|r| ReferrerView {
            artifact_type: r
                .artifact_type
                .filter(|t| !t.is_empty())
                .unwrap_or(r.media_type),
            digest: r.digest,
            size: r.size,
        })
        .collect();
    (!items.is_empty()).then_some(Referrers { source, items })
}

async fn index_body(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    index: &oci_spec::image::ImageIndex,
) -> Result<TagBody, RegistryError> {
    let mut entries = Vec::new();
    let mut attestations = Vec::new();
    for child in index.manifests() {
        let digest = child.digest().to_string();
        if manifest::is_attestation(child) {
            attestations.push(attestation_view(reg, creds, repo, child).await);
            continue;
        }
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
        let (image, missing, error) = match result {
            Ok(image) => (image, false, None),
            Err(RegistryError::NotFound(_)) => (
                None,
                true,
                Some("this platform's manifest is missing from the registry".to_string()),
            ),
            Err(e @ RegistryError::Unreachable { .. }) => return Err(e),
            Err(e) => (None, false, Some(e.to_string())),
        };
        entries.push(IndexEntry {
            platform,
            digest,
            image,
            missing,
            error,
            attestation: None,
        });
    }
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
    repo: &str,
    d: &oci_spec::image::Descriptor,
) -> AttestationView {
    let digest = d.digest().to_string();
    let (predicate_types, error) = match reg.manifest(creds, repo, &digest).await {
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

async fn artifact_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    m: &ImageManifest,
    artifact_type: String,
) -> ArtifactView {
    let helm = if manifest::is_helm_chart(m) {
        reg.blob(creds, repo, m.config().digest().as_ref())
            .await
            .and_then(|b| manifest::parse_helm_config(&b))
            .ok()
            .map(|c| HelmChartView {
                name: c.name,
                version: c.version,
                app_version: c.app_version.filter(|v| !v.is_empty()),
                description: c.description.filter(|v| !v.is_empty()),
            })
    } else {
        None
    };
    let mut annotations: Vec<(String, String)> = m
        .annotations()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    annotations.sort();
    ArtifactView {
        artifact_type,
        config_media_type: m.config().media_type().to_string(),
        helm,
        layers: layers_of(m),
        size: manifest::image_size(m),
        annotations,
        subject: m.subject().as_ref().map(|s| s.digest().to_string()),
    }
}

fn layers_of(m: &ImageManifest) -> Vec<Layer> {
    m.layers()
        .iter()
        .map(|l| Layer {
            digest: l.digest().to_string(),
            media_type: l.media_type().to_string(),
            size: l.size(),
        })
        .collect()
}

async fn image_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &str,
    digest: String,
    m: &ImageManifest,
) -> Result<ImageView, RegistryError> {
    let config =
        manifest::parse_config(&reg.blob(creds, repo, m.config().digest().as_ref()).await?)?;
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
        layers: layers_of(m),
        history,
    })
}
