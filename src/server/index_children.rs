//! The platform images of an index: each child manifest fetched by its
//! digest, concurrently and in order, within the registry client's bound.
//! The tag list (a row's platforms and sizes) and the tag page (a full view
//! per platform) both walk an index through here.

use futures::stream::{self, StreamExt, TryStreamExt};
use oci_spec::image::{Descriptor, ImageIndex, ImageManifest};

use crate::registry::manifest::{self, Parsed};
use crate::registry::{Credentials, Reference, RegistryClient, RegistryError, RepositoryName};

/// An index's child manifests are fetched this many at a time.
pub const INDEX_CONCURRENCY: usize = 8;

/// One platform entry of an index (attestation entries are left out).
pub struct Child {
    /// The digest as the index lists it.
    pub digest: String,
    /// `os/arch[/variant]`, or `unknown` when the entry names none.
    pub platform: String,
    pub manifest: ChildManifest,
}

pub enum ChildManifest {
    Image(Box<ImageManifest>),
    /// A child that is not an image manifest (a nested index, say).
    NotImage,
    /// The index names it, the registry no longer has it.
    Missing,
    /// Any other failure for this child alone, as a readable message.
    Failed(String),
}

/// Fetches every platform child of `index`. Only an unreachable registry
/// fails the whole walk; anything else stays with its child.
pub async fn platform_children(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    index: &ImageIndex,
) -> Result<Vec<Child>, RegistryError> {
    let entries: Vec<&Descriptor> = index
        .manifests()
        .iter()
        .filter(|d| !manifest::is_attestation(d))
        .collect();
    // Owned descriptors: a stream of borrowed ones trips the Send check of
    // the server function's future (a higher-ranked lifetime).
    let owned: Vec<Descriptor> = entries.iter().map(|d| (*d).clone()).collect();
    // Stops at the first unreachable answer: a registry that is down must
    // not cost one timeout per child.
    let fetched: Vec<ChildManifest> = stream::iter(owned)
        .map(|d| async move { fetch_child(reg, creds, repo, &d).await })
        .buffered(INDEX_CONCURRENCY)
        .try_collect()
        .await?;
    Ok(entries
        .into_iter()
        .zip(fetched)
        .map(|(d, m)| Child {
            digest: d.digest().to_string(),
            platform: d
                .platform()
                .as_ref()
                .map(manifest::platform_string)
                .unwrap_or_else(|| "unknown".into()),
            manifest: m,
        })
        .collect())
}

async fn fetch_child(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    d: &Descriptor,
) -> Result<ChildManifest, RegistryError> {
    let digest = match manifest::descriptor_digest(d) {
        Ok(digest) => digest,
        Err(e) => return Ok(ChildManifest::Failed(e.to_string())),
    };
    match reg.manifest(creds, repo, &Reference::Digest(digest)).await {
        Ok(f) => Ok(match manifest::parse(&f) {
            Ok(Parsed::Image(m)) => ChildManifest::Image(m),
            Ok(_) => ChildManifest::NotImage,
            Err(e) => ChildManifest::Failed(e.to_string()),
        }),
        Err(RegistryError::NotFound(_)) => Ok(ChildManifest::Missing),
        Err(e @ RegistryError::Unreachable { .. }) => Err(e),
        Err(e) => Ok(ChildManifest::Failed(e.to_string())),
    }
}
