//! The Registry API v2 client: one pooled `reqwest::Client`, explicit
//! credentials per call, Basic or bearer-token auth, and typed errors.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::{header, Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use url::Url;

use super::auth::{parse_challenges, Challenge, Credentials};
use super::content_cache::ContentCache;
use super::digest;
use super::error::RegistryError;
use super::error_code::ErrorCode;
use super::media_types::{self, MANIFEST_ACCEPT};
use super::origin::TrustedOrigins;
use super::paging::next_link;
use super::scope::{split_challenge_scope, Scope};
use super::token::{TokenCache, TokenEndpoint};

/// Manifests larger than this are refused: the spec suggests 4 MiB.
const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;
/// Config blobs are JSON and small; refuse anything that is clearly not.
const MAX_CONFIG_BYTES: usize = 8 * 1024 * 1024;
/// One page of a catalog or tag list: 8 MiB holds about 200,000 names.
pub const MAX_LIST_PAGE_BYTES: usize = 8 * 1024 * 1024;
/// What Berth reads of an error answer: enough for any real envelope.
pub const MAX_ERROR_BYTES: usize = 64 * 1024;
/// A hard stop for `Link` loops from a broken registry.
const MAX_PAGES: usize = 10_000;
/// Requests in flight to the registry, unless `BERTH_REGISTRY_CONCURRENCY` says.
pub const DEFAULT_CONCURRENCY: usize = 32;
/// Default bound of the by-digest content cache.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct RegistryClient {
    http: reqwest::Client,
    base: Url,
    /// Where credentials may go: the registry's origin, allowed realms.
    trusted: TrustedOrigins,
    tokens: TokenCache,
    /// Manifests and blobs by digest, shared by every user.
    content: ContentCache,
    /// The process-wide bound on requests in flight to the registry, so no
    /// page (a 20,000-child index, a 50,000-tag list) can flood it.
    in_flight: Arc<tokio::sync::Semaphore>,
    /// The token endpoint, once a `Bearer` challenge has named it: from then
    /// on tokens are fetched before the call instead of after a 401.
    bearer: Arc<RwLock<Option<TokenEndpoint>>>,
}

/// The answer to `GET /v2/`.
#[derive(Debug, Clone)]
pub struct Ping {
    /// `Docker-Distribution-API-Version`, e.g. `registry/2.0`.
    pub api_version: Option<String>,
}

/// `GET /v2/` without any credentials: how the registry presents itself.
#[derive(Debug, Clone)]
pub struct Probe {
    pub status: u16,
    pub api_version: Option<String>,
    pub challenges: Vec<Challenge>,
    pub latency: Duration,
}

/// One page of a list, for probing how a registry pages.
#[derive(Debug, Clone)]
pub struct PageProbe {
    pub entries: usize,
    pub has_next: bool,
    /// The first name on the page, if any (unchecked: the caller validates).
    pub first: Option<String>,
}

/// Names a registry listed, sorted into those Berth may use and those it
/// refuses (shown to nobody as links, counted and logged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameList {
    pub names: Vec<String>,
    pub rejected: Vec<String>,
}

impl NameList {
    fn sort_out(all: Vec<String>, valid: fn(&str) -> bool) -> Self {
        let (names, rejected): (Vec<_>, Vec<_>) = all.into_iter().partition(|n| valid(n));
        if !rejected.is_empty() {
            tracing::warn!(
                count = rejected.len(),
                first = ?rejected.first().map(|n| n.chars().take(80).collect::<String>()),
                "the registry listed names that are not valid; they are skipped"
            );
        }
        Self { names, rejected }
    }
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

/// What `HEAD` says about a manifest.
#[derive(Debug, Clone)]
pub struct ManifestHead {
    pub digest: String,
    pub media_type: String,
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

impl RegistryClient {
    /// `base` is the registry root, e.g. `http://registry:5000`.
    pub fn new(http: reqwest::Client, base: Url) -> Self {
        Self::with_cache(http, base, DEFAULT_CACHE_BYTES)
    }

    /// With a content cache bounded to `cache_bytes`.
    pub fn with_cache(http: reqwest::Client, base: Url, cache_bytes: u64) -> Self {
        Self {
            http,
            trusted: TrustedOrigins::new(&base, &[]),
            base,
            tokens: TokenCache::default(),
            content: ContentCache::new(cache_bytes),
            in_flight: Arc::new(tokio::sync::Semaphore::new(DEFAULT_CONCURRENCY)),
            bearer: Arc::new(RwLock::new(None)),
        }
    }

    /// At most `n` requests to the registry in flight at once.
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.in_flight = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self
    }

    /// Token realms beyond the registry's own host (`BERTH_TOKEN_REALMS`).
    pub fn with_token_realms(mut self, realms: &[Url]) -> Self {
        self.trusted = TrustedOrigins::new(&self.base, realms);
        self
    }

    pub fn content_cache(&self) -> &ContentCache {
        &self.content
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, RegistryError> {
        self.base
            .join(path)
            .map_err(|e| RegistryError::Protocol(format!("bad URL {path}: {e}")))
    }

    fn request(
        &self,
        method: Method,
        url: Url,
        creds: &Credentials,
        token: Option<&str>,
    ) -> RequestBuilder {
        let rb = self.http.request(method, url);
        match (token, creds) {
            (Some(t), _) => rb.bearer_auth(t),
            (None, Credentials::Anonymous) => rb,
            (None, Credentials::Basic { username, password }) => {
                rb.basic_auth(username, Some(password))
            }
        }
    }

    async fn send(&self, rb: RequestBuilder) -> Result<Response, RegistryError> {
        // Held until the answer's head arrives: the wait for the registry,
        // which is what the bound protects.
        let _permit =
            self.in_flight.acquire().await.map_err(|_| {
                RegistryError::Protocol("the registry client is shutting down".into())
            })?;
        rb.send().await.map_err(|e| RegistryError::Unreachable {
            url: self.base.to_string(),
            detail: describe_transport_error(&e),
        })
    }

    fn known_bearer(&self) -> Option<TokenEndpoint> {
        self.bearer.read().ok().and_then(|b| b.clone())
    }

    /// Sends a body-less call with whatever auth the registry wants: Basic,
    /// or a bearer token for `scope` (cached). On a 401 with a `Bearer`
    /// challenge it fetches a token for the scope the challenge asks for
    /// and retries once.
    async fn call(
        &self,
        method: Method,
        url: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        accept: Option<&str>,
    ) -> Result<Response, RegistryError> {
        let build = |token: Option<&str>| {
            let rb = self.request(method.clone(), url.clone(), creds, token);
            match accept {
                Some(a) => rb.header(header::ACCEPT, a),
                None => rb,
            }
        };
        let ours = scope.to_params();
        let mut used = None;
        if let Some(endpoint) = self.known_bearer() {
            let token = self.tokens.get(&self.http, &endpoint, creds, &ours).await?;
            used = Some((endpoint, token));
        }
        let resp = self.send(build(used.as_ref().map(|(_, t)| &**t))).await?;
        if resp.status() != StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        // Only the registry itself may name a token endpoint: never an
        // answer that a redirect brought from elsewhere.
        if !self.trusted.is_registry(resp.url()) {
            return Ok(resp);
        }
        let Some((endpoint, challenge)) = bearer_challenge(&resp) else {
            // A bearer token refused with only a Basic challenge (Harbor's
            // catalog): this call wants the credentials themselves.
            if used.is_some() && matches!(creds, Credentials::Basic { .. }) {
                return self.send(build(None)).await;
            }
            return Ok(resp);
        };
        self.trusted.check_realm(&endpoint.realm)?;
        if let Ok(mut b) = self.bearer.write() {
            *b = Some(endpoint.clone());
        }
        let scopes = match challenge.param("scope") {
            Some(s) if !s.trim().is_empty() => split_challenge_scope(s),
            _ => ours.clone(),
        };
        // A token we already held was refused: do not reuse it.
        if let Some((held, _)) = &used {
            self.tokens.forget(held, creds, &ours).await;
            self.tokens.forget(&endpoint, creds, &scopes).await;
        }
        let token = self
            .tokens
            .get(&self.http, &endpoint, creds, &scopes)
            .await?;
        self.send(build(Some(&token))).await
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
        let body = read_prefix(resp, MAX_ERROR_BYTES).await;
        // A valid token that lacks the right: the user is known but not allowed.
        if let Some(scope) = challenge
            .as_deref()
            .and_then(|c| parse_challenges(c).into_iter().next())
            .filter(|c| c.param("error") == Some("insufficient_scope"))
            .map(|c| c.param("scope").unwrap_or("").to_string())
        {
            return Err(RegistryError::Denied(format!(
                "your token does not grant {}",
                if scope.is_empty() {
                    "this action"
                } else {
                    &scope
                }
            )));
        }
        Err(RegistryError::from_response(status, &body, challenge))
    }

    /// `GET /v2/`: 200 is a registry we may use, 401 needs credentials, 404
    /// means this is not a Registry API v2 server.
    pub async fn ping(&self, creds: &Credentials) -> Result<Ping, RegistryError> {
        let resp = self
            .call(Method::GET, self.url("/v2/")?, creds, Scope::None, None)
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(RegistryError::NotV2 {
                url: self.base.to_string(),
            });
        }
        let resp = self.check(resp).await?;
        Ok(Ping {
            api_version: api_version(&resp),
        })
    }

    /// `GET /v2/` with no credentials and no token dance: the status, the
    /// version header, the challenges and the round trip, as they are.
    pub async fn probe(&self) -> Result<Probe, RegistryError> {
        let started = Instant::now();
        let resp = self.send(self.http.get(self.url("/v2/")?)).await?;
        let latency = started.elapsed();
        let challenges = resp
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(parse_challenges)
            .collect();
        Ok(Probe {
            status: resp.status().as_u16(),
            api_version: api_version(&resp),
            challenges,
            latency,
        })
    }

    /// Every repository whose name is valid; see [`Self::catalog_checked`].
    pub async fn catalog(&self, creds: &Credentials) -> Result<Vec<String>, RegistryError> {
        Ok(self.catalog_checked(creds).await?.names)
    }

    /// Every tag whose name is valid; see [`Self::tags_checked`].
    pub async fn tags(
        &self,
        creds: &Credentials,
        repo: &str,
    ) -> Result<Vec<String>, RegistryError> {
        Ok(self.tags_checked(creds, repo).await?.names)
    }

    /// Every repository, following `Link` to the end. Asks for 1,000 per
    /// page (registry:2's default cap); a registry with a lower cap refuses
    /// that with `PAGINATION_NUMBER_INVALID`, and then gets its own default.
    /// Names are the registry's words: only those that pass the same check
    /// as a name a user types are kept; the others are set aside, so no
    /// unchecked name reaches a URL.
    pub async fn catalog_checked(&self, creds: &Credentials) -> Result<NameList, RegistryError> {
        let all = match self.catalog_from(creds, "/v2/_catalog?n=1000").await {
            Err(RegistryError::Status {
                code: ErrorCode::PaginationNumberInvalid,
                ..
            }) => self.catalog_from(creds, "/v2/_catalog").await,
            other => other,
        }?;
        Ok(NameList::sort_out(
            all,
            super::reference::is_valid_repository,
        ))
    }

    async fn catalog_from(
        &self,
        creds: &Credentials,
        first: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let mut repos = Vec::new();
        self.follow_pages(self.url(first)?, creds, Scope::Catalog, |body| {
            repos.extend(parse_catalog(body)?);
            Ok(())
        })
        .await?;
        Ok(repos)
    }

    /// Every tag of a repository. registry:2 returns all at once; newer
    /// registries page with `Link`, which is followed when present.
    pub async fn tags_checked(
        &self,
        creds: &Credentials,
        repo: &str,
    ) -> Result<NameList, RegistryError> {
        let first = self.url(&format!("/v2/{repo}/tags/list"))?;
        let mut tags = Vec::new();
        self.follow_pages(first, creds, Scope::Pull(repo), |body| {
            tags.extend(parse_tags(body)?);
            Ok(())
        })
        .await?;
        Ok(NameList::sort_out(tags, super::reference::is_valid_tag))
    }

    /// One catalog page of at most `n`: how many came back, and whether a
    /// `Link` offers more.
    pub async fn catalog_page(
        &self,
        creds: &Credentials,
        n: usize,
    ) -> Result<PageProbe, RegistryError> {
        let url = self.url(&format!("/v2/_catalog?n={n}"))?;
        self.page_probe(url, creds, Scope::Catalog, parse_catalog)
            .await
    }

    /// One tag-list page of at most `n`.
    pub async fn tags_page(
        &self,
        creds: &Credentials,
        repo: &str,
        n: usize,
    ) -> Result<PageProbe, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/tags/list?n={n}"))?;
        self.page_probe(url, creds, Scope::Pull(repo), parse_tags)
            .await
    }

    async fn page_probe(
        &self,
        url: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        parse: fn(&[u8]) -> Result<Vec<String>, RegistryError>,
    ) -> Result<PageProbe, RegistryError> {
        let resp = self
            .check(self.call(Method::GET, url, creds, scope, None).await?)
            .await?;
        let has_next = resp.headers().contains_key(header::LINK);
        let body = read_limited(resp, MAX_LIST_PAGE_BYTES, "a list page").await?;
        let names = parse(&body)?;
        Ok(PageProbe {
            entries: names.len(),
            has_next,
            first: names.into_iter().next(),
        })
    }

    async fn follow_pages(
        &self,
        first: Url,
        creds: &Credentials,
        scope: Scope<'_>,
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
                    self.call(Method::GET, url.clone(), creds, scope, None)
                        .await?,
                )
                .await?;
            next = resp
                .headers()
                .get(header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(|link| next_link(link, &url));
            // A page on another server would get the caller's credentials.
            if let Some(n) = &next {
                self.trusted.check_link(n)?;
            }
            let body = read_limited(resp, MAX_LIST_PAGE_BYTES, "a list page").await?;
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
        Ok(self.head_manifest(creds, repo, reference).await?.digest)
    }

    /// `HEAD` a manifest: its digest and media type, without the body
    /// (unless the registry omits the digest header, then the body is hashed).
    pub async fn head_manifest(
        &self,
        creds: &Credentials,
        repo: &str,
        reference: &str,
    ) -> Result<ManifestHead, RegistryError> {
        let resp = self
            .manifest_call(Method::HEAD, creds, repo, reference)
            .await?;
        let media_type = content_type(&resp).filter(|ct| !looks_generic(ct));
        match (
            resp.headers()
                .get("docker-content-digest")
                .and_then(|v| v.to_str().ok()),
            media_type,
        ) {
            (Some(d), Some(media_type)) if digest::is_valid(d) => Ok(ManifestHead {
                digest: d.to_string(),
                media_type,
            }),
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
        repo: &str,
        reference: &str,
    ) -> Result<Response, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let resp = self
            .call(method, url, creds, Scope::Pull(repo), Some(MANIFEST_ACCEPT))
            .await?;
        self.check(resp).await
    }

    /// `GET` a manifest by tag or digest. When fetched by digest, the body
    /// must hash to it; the digest is computed when the header is absent.
    pub async fn manifest(
        &self,
        creds: &Credentials,
        repo: &str,
        reference: &str,
    ) -> Result<FetchedManifest, RegistryError> {
        let resp = self
            .manifest_call(Method::GET, creds, repo, reference)
            .await?;
        let header_digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = content_type(&resp);
        let body = read_limited(resp, MAX_MANIFEST_BYTES, "a manifest").await?;
        let m = identify_manifest(reference, header_digest, content_type, body)?;
        // Cache only a body that hashes to the digest it is filed under.
        if m.digest.starts_with("sha256:") && digest::verify(&m.digest, &m.body) {
            self.content
                .put_manifest(&m.digest, &m.media_type, &m.body)
                .await;
        }
        Ok(m)
    }

    /// `GET` a (small, JSON) blob such as an image config, checking its digest.
    pub async fn blob(
        &self,
        creds: &Credentials,
        repo: &str,
        digest_ref: &str,
    ) -> Result<Vec<u8>, RegistryError> {
        if let Some(hit) = self.content.blob(digest_ref).await {
            return Ok(hit.to_vec());
        }
        let url = self.url(&format!("/v2/{repo}/blobs/{digest_ref}"))?;
        let resp = self
            .check(
                self.call(Method::GET, url, creds, Scope::Pull(repo), None)
                    .await?,
            )
            .await?;
        let body = read_limited(resp, MAX_CONFIG_BYTES, "a blob").await?;
        if !digest::verify(digest_ref, &body) {
            return Err(RegistryError::Protocol(format!(
                "blob body does not match digest {digest_ref}"
            )));
        }
        if digest_ref.starts_with("sha256:") {
            self.content.put_blob(digest_ref, &body).await;
        }
        Ok(body)
    }

    /// The OCI 1.1 referrers API. `None` when the registry does not have it
    /// (registry:2 answers 404 with a plain-text body); then the caller falls
    /// back to the `sha256-<hex>` tag schema.
    pub async fn referrers(
        &self,
        creds: &Credentials,
        repo: &str,
        subject: &str,
    ) -> Result<Option<Vec<u8>>, RegistryError> {
        if !digest::is_valid(subject) {
            return Err(RegistryError::Protocol(format!("not a digest: {subject}")));
        }
        let url = self.url(&format!("/v2/{repo}/referrers/{subject}"))?;
        let resp = self
            .call(
                Method::GET,
                url,
                creds,
                Scope::Pull(repo),
                Some(media_types::OCI_INDEX),
            )
            .await?;
        match resp.status().as_u16() {
            200 => {
                let body = read_limited(resp, MAX_MANIFEST_BYTES, "a referrers index").await?;
                // Only an index answers the API; anything else is a catch-all page.
                Ok(super::referrers::looks_like_index(&body).then_some(body))
            }
            400 | 404 | 405 => Ok(None),
            _ => {
                Err(self.check(resp).await.err().unwrap_or_else(|| {
                    RegistryError::Protocol("unexpected referrers answer".into())
                }))
            }
        }
    }

    /// `DELETE /v2/<name>/manifests/<digest>`: removes the manifest and every
    /// tag on it. Only digests are accepted here.
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
        self.check(
            self.call(Method::DELETE, url, creds, Scope::Delete(repo), None)
                .await?,
        )
        .await?;
        Ok(())
    }

    /// `DELETE /v2/<name>/manifests/<tag>`: removes only the tag, where the
    /// registry supports it (distribution 3, zot). registry:2 answers 400
    /// `DIGEST_INVALID`; that and 405 / `UNSUPPORTED` become `Unsupported`.
    pub async fn delete_tag(
        &self,
        creds: &Credentials,
        repo: &str,
        tag: &str,
    ) -> Result<(), RegistryError> {
        if !super::reference::is_valid_tag(tag) {
            return Err(RegistryError::Protocol(format!("not a tag: {tag}")));
        }
        let url = self.url(&format!("/v2/{repo}/manifests/{tag}"))?;
        let resp = self
            .call(Method::DELETE, url, creds, Scope::Delete(repo), None)
            .await?;
        match self.check(resp).await {
            Ok(_) => Ok(()),
            Err(RegistryError::Status {
                status: 400, code, ..
            }) => Err(RegistryError::Unsupported(if code.is_none() {
                "400".into()
            } else {
                code.to_string()
            })),
            Err(e) => Err(e),
        }
    }
}

/// The response's media type, without parameters such as `charset`.
fn content_type(resp: &Response) -> Option<String> {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| media_types::base_type(v).to_string())
}

fn api_version(resp: &Response) -> Option<String> {
    resp.headers()
        .get("docker-distribution-api-version")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The token endpoint and challenge of a 401, if it asks for a bearer token.
fn bearer_challenge(resp: &Response) -> Option<(TokenEndpoint, Challenge)> {
    resp.headers()
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(parse_challenges)
        .find_map(|c| TokenEndpoint::from_challenge(&c).map(|e| (e, c)))
}

fn parse_catalog(body: &[u8]) -> Result<Vec<String>, RegistryError> {
    serde_json::from_slice::<CatalogPage>(body)
        .map(|p| p.repositories)
        .map_err(|e| RegistryError::Protocol(format!("catalog is not JSON: {e}")))
}

fn parse_tags(body: &[u8]) -> Result<Vec<String>, RegistryError> {
    serde_json::from_slice::<TagsPage>(body)
        .map(|p| p.tags.unwrap_or_default())
        .map_err(|e| RegistryError::Protocol(format!("tag list is not JSON: {e}")))
}

/// Checks a fetched body against the digest it was asked by, and settles
/// its digest and media type from headers or, failing those, the body.
pub fn identify_manifest(
    reference: &str,
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

/// Reads a body of at most `limit` bytes; a longer one is an error, and
/// reading stops there (a declared `Content-Length` past it is refused
/// before reading anything).
pub(crate) async fn read_limited(
    mut resp: Response,
    limit: usize,
    what: &'static str,
) -> Result<Vec<u8>, RegistryError> {
    let too_large = || RegistryError::TooLarge { what, limit };
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| {
        RegistryError::Protocol(format!(
            "the answer broke off: {}",
            describe_transport_error(&e)
        ))
    })? {
        if out.len() + chunk.len() > limit {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The first `limit` bytes of a body whose rest does not matter (an error
/// answer); a body that breaks off gives what arrived.
pub(crate) async fn read_prefix(mut resp: Response, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = limit - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    out
}

/// A short, credential-free description of a transport failure.
pub(crate) fn describe_transport_error(e: &reqwest::Error) -> String {
    // The root cause (e.g. rustls' "invalid peer certificate: UnknownIssuer")
    // is what an operator needs; reqwest's top line only says "error sending
    // request". None of these carry the password, sent as a header.
    let mut causes = Vec::new();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        causes.push(s.to_string());
        src = s.source();
    }
    let chain = causes.join(": ");
    let lower = chain.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        format!("the TLS certificate was not accepted ({chain})")
    } else if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        format!(
            "the connection failed ({})",
            causes
                .last()
                .map(String::as_str)
                .unwrap_or("refused or unknown host")
        )
    } else if chain.is_empty() {
        e.to_string()
    } else {
        chain
    }
}
