//! The Registry API v2 client: one pooled `reqwest::Client`, explicit
//! credentials per call, and typed names in, typed errors out.
//!
//! The operations live beside this file, one concern each: the auth flow
//! (`auth_flow.rs`), lists and paging (`listing.rs`), manifests
//! (`manifests.rs`), blobs (`blobs.rs`), referrers (`referrers.rs`) and
//! deletes (`deletes.rs`). Bodies are read with a ceiling
//! (`bounded_read.rs`) and error answers mapped in `error.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{header, Method, RequestBuilder, Response, StatusCode};
use url::Url;

use super::auth::{parse_challenges, Challenge, Credentials};
use super::auth_flow::BearerEndpoint;
use super::content_cache::ContentCache;
use super::error::{check, RegistryError};
use super::origin::TrustedOrigins;
use super::scope::Scope;
use super::token::TokenCache;
use super::transport::describe_transport_error;

/// Requests in flight to the registry, unless `BERTH_REGISTRY_CONCURRENCY` says.
pub const DEFAULT_CONCURRENCY: usize = 32;
/// Default bound of the by-digest content cache.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct RegistryClient {
    pub(super) http: reqwest::Client,
    base: Url,
    /// Where credentials may go: the registry's origin, allowed realms.
    pub(super) trusted: TrustedOrigins,
    pub(super) tokens: TokenCache,
    /// Blobs by digest, shared by every user.
    pub(super) content: ContentCache,
    /// The process-wide bound on requests in flight to the registry, so no
    /// page (a 20,000-child index, a 50,000-tag list) can flood it.
    in_flight: Arc<tokio::sync::Semaphore>,
    pub(super) bearer: BearerEndpoint,
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
            bearer: BearerEndpoint::default(),
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

    /// A URL on the registry. Paths are built from typed names only, so
    /// nothing in them can climb out of `/v2/`.
    pub(super) fn url(&self, path: &str) -> Result<Url, RegistryError> {
        self.base
            .join(path)
            .map_err(|e| RegistryError::Protocol(format!("bad URL {path}: {e}")))
    }

    pub(super) async fn send(&self, rb: RequestBuilder) -> Result<Response, RegistryError> {
        // Held until the answer's head arrives: the wait for the registry,
        // which is what the bound protects.
        let _permit =
            self.in_flight.acquire().await.map_err(|_| {
                RegistryError::Protocol("the registry client is shutting down".into())
            })?;
        let (http, req) = rb.build_split();
        let mut req = req.map_err(|e| RegistryError::Protocol(format!("a bad request: {e}")))?;
        if let Some(id) = super::request_id::current() {
            if let Ok(v) = header::HeaderValue::from_str(&id) {
                req.headers_mut().insert("x-request-id", v);
            }
        }
        let kind = super::call_metrics::kind(req.method(), req.url().path());
        let started = Instant::now();
        let answer = http.execute(req).await;
        let status = answer.as_ref().ok().map(|r| r.status().as_u16());
        super::call_metrics::record(kind, status, started.elapsed());
        answer.map_err(|e| RegistryError::Unreachable {
            url: self.base.to_string(),
            detail: describe_transport_error(&e),
        })
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
        let resp = check(resp).await?;
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
}

fn api_version(resp: &Response) -> Option<String> {
    resp.headers()
        .get("docker-distribution-api-version")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
