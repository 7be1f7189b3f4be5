//! The Registry API v2 client: one pooled `reqwest::Client`, explicit
//! credentials per call, and typed errors.

use reqwest::{header, Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use url::Url;

use super::auth::Credentials;
use super::digest;
use super::error::RegistryError;
use super::media_types::{self, MANIFEST_ACCEPT};
use super::paging::next_link;

/// Manifests larger than this are refused: the spec suggests 4 MiB.
const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;
/// Config blobs are JSON and small; refuse anything that is clearly not.
const MAX_CONFIG_BYTES: usize = 8 * 1024 * 1024;
/// A hard stop for `Link` loops from a broken registry.
const MAX_PAGES: usize = 10_000;

#[derive(Clone)]
pub struct RegistryClient {
    http: reqwest::Client,
    base: Url,
}

/// The answer to `GET /v2/`.
#[derive(Debug, Clone)]
pub struct Ping {
    /// `Docker-Distribution-API-Version`, e.g. `registry/2.0`.
    pub api_version: Option<String>,
}

/// A manifest as fetched: the exact bytes, their digest and media type.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    pub digest: String,
    pub media_type: String,
    pub body: Vec<u8>,
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Vec<String>,
}

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct MediaTypeOnly {
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
    manifests: Option<serde_json::Value>,
}

impl RegistryClient {
    /// `base` is the registry root, e.g. `http://registry:5000`.
    pub fn new(http: reqwest::Client, base: Url) -> Self {
        Self { http, base }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, RegistryError> {
        self.base
            .join(path)
            .map_err(|e| RegistryError::Protocol(format!("bad URL {path}: {e}")))
    }

    fn request(&self, method: Method, url: Url, creds: &Credentials) -> RequestBuilder {
        let rb = self.http.request(method, url);
        match creds {
            Credentials::Anonymous => rb,
            Credentials::Basic { username, password } => rb.basic_auth(username, Some(password)),
        }
    }

    async fn send(&self, rb: RequestBuilder) -> Result<Response, RegistryError> {
        rb.send().await.map_err(|e| RegistryError::Unreachable {
            url: self.base.to_string(),
            detail: describe_transport_error(&e),
        })
    }

    /// Turns a non-success response into a typed error.
    async fn check(&self, resp: Response) -> Result<Response, RegistryError> {
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        let challenge = resp
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp.bytes().await.unwrap_or_default();
        Err(RegistryError::from_response(status, &body, challenge))
    }

    /// `GET /v2/`: 200 is a registry we may use, 401 needs credentials, 404
    /// means this is not a Registry API v2 server.
    pub async fn ping(&self, creds: &Credentials) -> Result<Ping, RegistryError> {
        let resp = self
            .send(self.request(Method::GET, self.url("/v2/")?, creds))
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(RegistryError::NotV2 {
                url: self.base.to_string(),
            });
        }
        let resp = self.check(resp).await?;
        let api_version = resp
            .headers()
            .get("docker-distribution-api-version")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Ping { api_version })
    }

    /// Every repository, following `Link` to the end (registry:2 caps a page
    /// at 1,000).
    pub async fn catalog(&self, creds: &Credentials) -> Result<Vec<String>, RegistryError> {
        let first = self.url("/v2/_catalog?n=1000")?;
        let mut repos = Vec::new();
        self.follow_pages(first, creds, |body| {
            let page: CatalogPage = serde_json::from_slice(body)
                .map_err(|e| RegistryError::Protocol(format!("catalog is not JSON: {e}")))?;
            repos.extend(page.repositories);
            Ok(())
        })
        .await?;
        Ok(repos)
    }

    /// Every tag of a repository. registry:2 returns all at once; newer
    /// registries page with `Link`, which is followed when present.
    pub async fn tags(
        &self,
        creds: &Credentials,
        repo: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let first = self.url(&format!("/v2/{repo}/tags/list"))?;
        let mut tags = Vec::new();
        self.follow_pages(first, creds, |body| {
            let page: TagsPage = serde_json::from_slice(body)
                .map_err(|e| RegistryError::Protocol(format!("tag list is not JSON: {e}")))?;
            tags.extend(page.tags.unwrap_or_default());
            Ok(())
        })
        .await?;
        Ok(tags)
    }

    async fn follow_pages(
        &self,
        first: Url,
        creds: &Credentials,
        mut on_page: impl FnMut(&[u8]) -> Result<(), RegistryError>,
    ) -> Result<(), RegistryError> {
        let mut next = Some(first);
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) || seen.len() > MAX_PAGES {
                return Err(RegistryError::Protocol(
                    "paging does not end (Link loops)".into(),
                ));
            }
            let resp = self
                .check(
                    self.send(self.request(Method::GET, url.clone(), creds))
                        .await?,
                )
                .await?;
            next = resp
                .headers()
                .get(header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(|link| next_link(link, &url));
            let body = resp
                .bytes()
                .await
                .map_err(|e| RegistryError::Protocol(e.to_string()))?;
            on_page(&body)?;
        }
        Ok(())
    }

    /// `HEAD` a manifest by tag or digest, asking for every manifest type,
    /// and return its digest.
    pub async fn resolve_digest(
        &self,
        creds: &Credentials,
        repo: &str,
        reference: &str,
    ) -> Result<String, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let rb = self
            .request(Method::HEAD, url, creds)
            .header(header::ACCEPT, MANIFEST_ACCEPT);
        let resp = self.check(self.send(rb).await?).await?;
        match resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
        {
            Some(d) if digest::is_valid(d) => Ok(d.to_string()),
            // No header: fetch the body and hash it ourselves.
            _ => Ok(self.manifest(creds, repo, reference).await?.digest),
        }
    }

    /// `GET` a manifest by tag or digest. When fetched by digest, the body
    /// must hash to it; the digest is computed when the header is absent.
    pub async fn manifest(
        &self,
        creds: &Credentials,
        repo: &str,
        reference: &str,
    ) -> Result<FetchedManifest, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let rb = self
            .request(Method::GET, url, creds)
            .header(header::ACCEPT, MANIFEST_ACCEPT);
        let resp = self.check(self.send(rb).await?).await?;
        let header_digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| media_types::base_type(v).to_string());
        let body = read_limited(resp, MAX_MANIFEST_BYTES).await?;

        let computed = digest::sha256_of(&body);
        if reference.starts_with("sha256:") && computed != reference {
            return Err(RegistryError::Protocol(format!(
                "manifest body does not match digest {reference}"
            )));
        }
        let digest = match header_digest {
            Some(d) if digest::is_valid(d.as_str()) => d,
            _ => computed,
        };
        let media_type = match content_type {
            Some(ct)
                if media_types::kind_of(&ct) != media_types::ManifestKind::Other
                    || !looks_generic(&ct) =>
            {
                ct
            }
            _ => sniff_media_type(&body),
        };
        Ok(FetchedManifest {
            digest,
            media_type,
            body,
        })
    }

    /// `GET` a (small, JSON) blob such as an image config, checking its digest.
    pub async fn blob(
        &self,
        creds: &Credentials,
        repo: &str,
        digest_ref: &str,
    ) -> Result<Vec<u8>, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/blobs/{digest_ref}"))?;
        let resp = self
            .check(self.send(self.request(Method::GET, url, creds)).await?)
            .await?;
        let body = read_limited(resp, MAX_CONFIG_BYTES).await?;
        if !digest::verify(digest_ref, &body) {
            return Err(RegistryError::Protocol(format!(
                "blob body does not match digest {digest_ref}"
            )));
        }
        Ok(body)
    }

    /// `DELETE /v2/<name>/manifests/<digest>`. Only digests are accepted:
    /// deleting by tag is refused by registry:2 and would be ambiguous.
    pub async fn delete_manifest(
        &self,
        creds: &Credentials,
        repo: &str,
        digest_ref: &str,
    ) -> Result<(), RegistryError> {
        if !digest::is_valid(digest_ref) {
            return Err(RegistryError::Protocol(format!(
                "not a digest: {digest_ref}"
            )));
        }
        let url = self.url(&format!("/v2/{repo}/manifests/{digest_ref}"))?;
        self.check(self.send(self.request(Method::DELETE, url, creds)).await?)
            .await?;
        Ok(())
    }
}

fn looks_generic(ct: &str) -> bool {
    matches!(
        ct,
        "" | "application/json" | "text/plain" | "application/octet-stream"
    )
}

/// Reads `mediaType` from the body, or infers an index from `manifests`.
fn sniff_media_type(body: &[u8]) -> String {
    match serde_json::from_slice::<MediaTypeOnly>(body) {
        Ok(MediaTypeOnly {
            media_type: Some(mt),
            ..
        }) => mt,
        Ok(MediaTypeOnly {
            manifests: Some(_), ..
        }) => media_types::OCI_INDEX.to_string(),
        Ok(_) => media_types::OCI_MANIFEST.to_string(),
        Err(_) => "application/octet-stream".to_string(),
    }
}

async fn read_limited(mut resp: Response, limit: usize) -> Result<Vec<u8>, RegistryError> {
    let mut out = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| RegistryError::Protocol(e.to_string()))?
    {
        if out.len() + chunk.len() > limit {
            return Err(RegistryError::Protocol(format!(
                "answer larger than {limit} bytes"
            )));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// A short, credential-free description of a transport failure.
fn describe_transport_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        "the connection failed (refused, unknown host or TLS error)".into()
    } else {
        // reqwest's Display can include the URL but never the basic-auth
        // password, which is sent as a header.
        let mut s = e.to_string();
        if let Some(src) = std::error::Error::source(e) {
            s.push_str(&format!(": {src}"));
        }
        s
    }
}
