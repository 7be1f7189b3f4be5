//! Fetching manifests (`HEAD` and `GET`, by tag or digest) and settling
//! what a fetched body is: its digest, checked against the one asked for,
//! and its media type, from the header or, failing that, the body.

use reqwest::{header, Method, Response};
use serde::Deserialize;

use super::auth::Credentials;
use super::bounded_read::{read_limited, MAX_MANIFEST_BYTES};
use super::client::RegistryClient;
use super::digest::{self, Digest};
use super::error::{check, RegistryError};
use super::media_types::{self, MANIFEST_ACCEPT};
use super::names::{Reference, RepositoryName};
use super::scope::Scope;

/// A manifest as fetched: the exact bytes, their digest and media type.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    pub digest: Digest,
    pub media_type: String,
    pub body: Vec<u8>,
}

/// What `HEAD` says about a manifest.
#[derive(Debug, Clone)]
pub struct ManifestHead {
    pub digest: Digest,
    pub media_type: String,
}

impl RegistryClient {
    /// `HEAD` a manifest by tag or digest, asking for every manifest type,
    /// and return its digest.
    pub async fn resolve_digest(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        reference: &Reference,
    ) -> Result<Digest, RegistryError> {
        Ok(self.head_manifest(creds, repo, reference).await?.digest)
    }

    /// `HEAD` a manifest: its digest and media type, without the body
    /// (unless the registry omits the digest header, then the body is hashed).
    pub async fn head_manifest(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        reference: &Reference,
    ) -> Result<ManifestHead, RegistryError> {
        let resp = self
            .manifest_call(Method::HEAD, creds, repo, reference)
            .await?;
        let media_type = content_type(&resp).filter(|ct| !looks_generic(ct));
        let header_digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .and_then(|d| Digest::parse(d).ok());
        match (header_digest, media_type) {
            (Some(digest), Some(media_type)) => Ok(ManifestHead { digest, media_type }),
            // Missing headers: fetch the body and look ourselves.
            _ => {
                let m = self.manifest(creds, repo, reference).await?;
                Ok(ManifestHead {
                    digest: m.digest,
                    media_type: m.media_type,
                })
            }
        }
    }

    /// `HEAD` or `GET` of a manifest, asking for every manifest type.
    async fn manifest_call(
        &self,
        method: Method,
        creds: &Credentials,
        repo: &RepositoryName,
        reference: &Reference,
    ) -> Result<Response, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let resp = self
            .call(
                method,
                url,
                creds,
                Scope::Pull(repo.as_str()),
                Some(MANIFEST_ACCEPT),
            )
            .await?;
        check(resp).await
    }

    /// A manifest by tag or digest. When fetched by digest, the body must
    /// hash to it; the digest is computed when the header is absent.
    ///
    /// A manifest seen before comes from the content cache, but only after
    /// a fresh `HEAD` with the caller's credentials answers with the same
    /// digest: a manifest deleted behind Berth's back (an index child, say)
    /// still shows as gone, a moved tag is fetched anew, and a caller who
    /// may not read the repository gets the registry's refusal.
    pub async fn manifest(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        reference: &Reference,
    ) -> Result<FetchedManifest, RegistryError> {
        let known = match reference {
            Reference::Digest(d) => Some(d.clone()),
            Reference::Tag(t) => self.content.tag_digest(repo.as_str(), t.as_str()).await,
        };
        if let Some(digest) = known {
            if let Some(hit) = self.content.manifest(&digest).await {
                let head = self
                    .manifest_call(Method::HEAD, creds, repo, reference)
                    .await?;
                if header_digest(&head).as_deref() == Some(digest.as_str()) {
                    return Ok((*hit).clone());
                }
            }
        }
        let fetched = self.fetch_manifest(creds, repo, reference).await?;
        self.remember(repo, reference, &fetched).await;
        Ok(fetched)
    }

    /// Keeps a manifest read elsewhere (a prefetch) for the next view.
    pub async fn remember(
        &self,
        repo: &RepositoryName,
        reference: &Reference,
        m: &FetchedManifest,
    ) {
        self.content.put_manifest(m).await;
        if let Reference::Tag(t) = reference {
            self.content
                .put_tag_digest(repo.as_str(), t.as_str(), &m.digest)
                .await;
        }
    }

    /// `GET` a manifest, uncached.
    async fn fetch_manifest(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        reference: &Reference,
    ) -> Result<FetchedManifest, RegistryError> {
        let resp = self
            .manifest_call(Method::GET, creds, repo, reference)
            .await?;
        let header_digest = header_digest(&resp);
        let content_type = content_type(&resp);
        let body = read_limited(resp, MAX_MANIFEST_BYTES, "a manifest").await?;
        identify_manifest(reference, header_digest, content_type, body)
    }
}

fn header_digest(resp: &Response) -> Option<String> {
    resp.headers()
        .get("docker-content-digest")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The response's media type, without parameters such as `charset`.
pub(super) fn content_type(resp: &Response) -> Option<String> {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| media_types::base_type(v).to_string())
}

/// Checks a fetched body against the digest it was asked by, and settles
/// its digest and media type from headers or, failing those, the body.
pub fn identify_manifest(
    reference: &Reference,
    header_digest: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
) -> Result<FetchedManifest, RegistryError> {
    // A signed schema 1 manifest's digest covers its JWS payload only.
    let computed = match content_type.as_deref() {
        Some(media_types::DOCKER_MANIFEST_V1_SIGNED) => {
            super::schema1::payload_digest(&body).unwrap_or_else(|| digest::sha256_of(&body))
        }
        _ => digest::sha256_of(&body),
    };
    if let Some(asked) = reference.digest() {
        if *asked != computed.as_str() {
            return Err(RegistryError::Protocol(format!(
                "manifest body does not match digest {asked}"
            )));
        }
    }
    let digest = match header_digest.as_deref().map(Digest::parse) {
        Some(Ok(d)) => d,
        // `computed` is made by sha256_of, so it always parses.
        _ => Digest::parse(&computed).map_err(|e| RegistryError::Protocol(e.to_string()))?,
    };
    let media_type = match content_type {
        Some(ct) if !looks_generic(&ct) => ct,
        _ => sniff_media_type(&body),
    };
    Ok(FetchedManifest {
        digest,
        media_type,
        body,
    })
}

fn looks_generic(ct: &str) -> bool {
    matches!(
        ct,
        "" | "application/json" | "text/plain" | "application/octet-stream"
    )
}

#[derive(Deserialize)]
struct MediaTypeOnly {
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
    #[serde(rename = "schemaVersion")]
    schema_version: Option<u32>,
    manifests: Option<serde_json::Value>,
    signatures: Option<serde_json::Value>,
    config: Option<serde_json::Value>,
}

/// Reads `mediaType` from the body, or infers an index from `manifests`.
fn sniff_media_type(body: &[u8]) -> String {
    let generic = "application/octet-stream".to_string();
    match serde_json::from_slice::<MediaTypeOnly>(body) {
        Ok(m) => match m {
            MediaTypeOnly {
                media_type: Some(mt),
                ..
            } => mt,
            MediaTypeOnly {
                schema_version: Some(1),
                signatures,
                ..
            } => if signatures.is_some() {
                media_types::DOCKER_MANIFEST_V1_SIGNED
            } else {
                media_types::DOCKER_MANIFEST_V1
            }
            .to_string(),
            MediaTypeOnly {
                manifests: Some(_), ..
            } => media_types::OCI_INDEX.to_string(),
            MediaTypeOnly {
                config: Some(_), ..
            } => media_types::OCI_MANIFEST.to_string(),
            _ => generic,
        },
        Err(_) => generic,
    }
}
