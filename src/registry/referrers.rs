//! Referrers: artifacts (signatures, SBOMs, attestations) that point at an
//! image through their `subject`. Read from the OCI 1.1 referrers API when
//! the registry has it, else from the fallback tag `sha256-<hex>` (an index
//! of referrers) that OCI 1.1 clients push to older registries.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::Deserialize;

use super::auth::Credentials;
use super::bounded_read::{read_limited, MAX_MANIFEST_BYTES};
use super::client::RegistryClient;
use super::digest::Digest;
use super::error::{check, RegistryError};
use super::media_types;
use super::names::{RepositoryName, Tag};
use super::scope::Scope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    pub digest: Digest,
    pub media_type: String,
    pub artifact_type: Option<String>,
    pub size: u64,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    digest: String,
    #[serde(default, rename = "mediaType")]
    media_type: String,
    #[serde(default, rename = "artifactType")]
    artifact_type: Option<String>,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

/// True when a body is an image index (the only valid referrers answer).
pub fn looks_like_index(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("manifests").map(|m| m.is_array()))
        .unwrap_or(false)
}

/// The referrers listed in an index (API answer or fallback tag).
pub fn parse(body: &[u8]) -> Vec<Referrer> {
    serde_json::from_slice::<Index>(body)
        .map(|ix| {
            ix.manifests
                .into_iter()
                .filter_map(|e| {
                    Some(Referrer {
                        digest: Digest::parse(&e.digest).ok()?,
                        media_type: e.media_type,
                        artifact_type: e.artifact_type,
                        size: e.size,
                        annotations: e.annotations,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The fallback tag for a subject (OCI distribution spec): `<alg>-<ref>`,
/// which for a sha256 digest is `sha256-<hex>`.
pub fn fallback_tag(subject: &Digest) -> Option<Tag> {
    Tag::parse(&format!("sha256-{}", subject.hex())).ok()
}

impl RegistryClient {
    /// The OCI 1.1 referrers API. `None` when the registry does not have it
    /// (registry:2 answers 404 with a plain-text body); then the caller falls
    /// back to the [`fallback_tag`] schema.
    pub async fn referrers(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        subject: &Digest,
    ) -> Result<Option<Vec<u8>>, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/referrers/{subject}"))?;
        let resp = self
            .call(
                Method::GET,
                url,
                creds,
                Scope::Pull(repo.as_str()),
                Some(media_types::OCI_INDEX),
            )
            .await?;
        match resp.status().as_u16() {
            200 => {
                let body = read_limited(resp, MAX_MANIFEST_BYTES, "a referrers index").await?;
                // Only an index answers the API; anything else is a catch-all page.
                Ok(looks_like_index(&body).then_some(body))
            }
            400 | 404 | 405 => Ok(None),
            _ => Err(check(resp)
                .await
                .err()
                .unwrap_or_else(|| RegistryError::Protocol("unexpected referrers answer".into()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_tag_replaces_the_colon() {
        let d = Digest::of(b"x");
        assert_eq!(
            fallback_tag(&d).unwrap(),
            format!("sha256-{}", d.hex()).as_str()
        );
    }

    #[test]
    fn a_plain_404_page_is_not_an_index() {
        assert!(!looks_like_index(b"404 page not found"));
        assert!(looks_like_index(br#"{"schemaVersion":2,"manifests":[]}"#));
    }
}
