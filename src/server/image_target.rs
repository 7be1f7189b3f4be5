//! From a tag (and, for an index, a platform) to the one image whose files
//! are looked at: its manifest, config and layers, all read with the
//! caller's own credentials. This read is what gives a user the layer
//! cache's digest-keyed listings: nobody reaches a layer through Berth
//! without a manifest they could read.

use oci_spec::image::{ImageConfiguration, ImageManifest};

use super::index_children::{platform_children, ChildManifest};
use super::state::AppState;
use crate::error::AppError;
use crate::layers::read::LayerRef;
use crate::registry::manifest::{self, Parsed};
use crate::registry::{
    Credentials, Digest, FetchedManifest, Reference, RegistryClient, RegistryError, RepositoryName,
    Tag,
};

pub struct ImageTarget {
    pub repo: RepositoryName,
    pub tag: String,
    /// The image manifest's digest (the platform's, for an index).
    pub digest: String,
    /// The platform picked, for an index.
    pub platform: Option<String>,
    /// Every image platform of the index (empty for a single image).
    pub platforms: Vec<String>,
    pub manifest: ImageManifest,
    pub config: ImageConfiguration,
    pub layers: Vec<LayerRef>,
}

/// The image behind `repo:tag`; for an index, the `platform` asked for, or
/// the first image when none was.
pub async fn image_target(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    tag: &str,
    platform: Option<&str>,
) -> Result<ImageTarget, AppError> {
    let repo = RepositoryName::parse(repo)?;
    let tag = Tag::parse(tag)?;
    let reg = state.registry();
    let fetched = tag_manifest(reg, creds, &repo, &tag).await?;
    let not_image = || AppError::NotFound(crate::t!("files-not-an-image", tag = tag.to_string()));
    let (digest, picked, platforms, m) = match manifest::parse(&fetched)? {
        Parsed::Image(m) if manifest::artifact_type(&m).is_none() => {
            (fetched.digest.to_string(), None, Vec::new(), m)
        }
        Parsed::Index(index) => {
            let children = platform_children(reg, creds, &repo, &index).await?;
            let platforms: Vec<String> = children
                .iter()
                .filter(|c| matches!(c.manifest, ChildManifest::Image(_)))
                .map(|c| c.platform.clone())
                .collect();
            let mut images: Vec<_> = children
                .into_iter()
                .filter(|c| matches!(c.manifest, ChildManifest::Image(_)))
                .collect();
            // An exact match first; else `linux/arm64` names
            // `linux/arm64/v8` too (a platform without a variant matches
            // its first variant).
            let at = match platform {
                None => (!images.is_empty()).then_some(0),
                Some(p) => images.iter().position(|c| c.platform == p).or_else(|| {
                    images
                        .iter()
                        .position(|c| c.platform.starts_with(&format!("{p}/")))
                }),
            };
            let child = at
                .map(|i| images.swap_remove(i))
                .ok_or_else(|| match platform {
                    Some(p) => AppError::NotFound(crate::t!(
                        "files-no-such-platform",
                        platform = p,
                        tag = tag.to_string()
                    )),
                    None => not_image(),
                })?;
            let ChildManifest::Image(m) = child.manifest else {
                return Err(not_image());
            };
            (child.digest, Some(child.platform), platforms, m)
        }
        _ => return Err(not_image()),
    };
    let config = manifest::parse_config(
        &reg.blob(creds, &repo, &manifest::config_digest(&m)?)
            .await?,
    )?;
    let layers = m
        .layers()
        .iter()
        .map(|l| {
            Ok(LayerRef {
                repo: repo.clone(),
                digest: Digest::parse(l.digest().as_ref()).map_err(|e| {
                    AppError::RegistryProtocol(format!("a layer digest does not read: {e}"))
                })?,
                size: l.size(),
                media_type: l.media_type().to_string(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ImageTarget {
        repo,
        tag: tag.to_string(),
        digest,
        platform: picked,
        platforms,
        manifest: *m,
        config,
        layers,
    })
}

/// The manifest `repo:tag` names; a tag the registry does not have is a
/// 404 that says so.
pub async fn tag_manifest(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tag: &Tag,
) -> Result<FetchedManifest, AppError> {
    match reg.manifest(creds, repo, &Reference::from(tag)).await {
        Err(RegistryError::NotFound(_)) => Err(AppError::NotFound(crate::t!(
            "error-no-such-tag",
            tag = tag.to_string(),
            repo = repo.to_string()
        ))),
        other => Ok(other?),
    }
}

/// A layer reader's refusal or failure, as the page says it.
pub fn layer_error(e: crate::layers::read::LayerError) -> AppError {
    use crate::layers::budget::Stop;
    use crate::layers::read::LayerError;
    let refused = |message: String| AppError::Localized {
        status: 422,
        title: crate::t!("files-error-title"),
        message,
        login: crate::t!("login-button"),
        back: crate::t!("error-back"),
    };
    match e {
        LayerError::TooLarge { .. }
        | LayerError::Unsupported(_)
        | LayerError::TooManyEntries { .. } => refused(e.to_string()),
        LayerError::Stopped(Stop::Bytes { max_mb }) => {
            refused(crate::t!("files-listing-too-large", mb = max_mb))
        }
        LayerError::Stopped(Stop::Entries { max }) => {
            refused(crate::t!("files-listing-too-many", max = max))
        }
        LayerError::Stopped(Stop::Deadline { secs }) => {
            AppError::Unavailable(crate::t!("files-listing-too-slow", secs = secs))
        }
        LayerError::Stopped(Stop::Abandoned) => {
            AppError::Unavailable(crate::t!("files-listing-abandoned"))
        }
        LayerError::Missing(_) => AppError::NotFound(e.to_string()),
        LayerError::Busy => AppError::Unavailable(crate::t!("files-downloads-busy")),
        LayerError::DownloadsOfUser { max } => {
            AppError::Unavailable(crate::t!("files-downloads-of-user", max = max))
        }
        LayerError::ReadsBusy => AppError::Unavailable(crate::t!("files-reads-busy")),
        LayerError::Registry(m) | LayerError::Read(m) => AppError::RegistryProtocol(m),
    }
}
