//! Bearer tokens (Docker token spec): fetched from the realm a `Bearer`
//! challenge names, with the user's credentials, and cached per user and
//! scope until they expire.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::future::Cache;
use serde::Deserialize;
use url::Url;

use super::auth::{Challenge, Credentials};
use super::error::RegistryError;

/// The token spec's default lifetime when `expires_in` is absent.
const DEFAULT_TTL: Duration = Duration::from_secs(60);
/// Renew a little early so a token never expires in flight.
const EARLY: Duration = Duration::from_secs(5);
/// A token answer is a few KiB (a JWT); anything past this is not one.
const MAX_TOKEN_ANSWER_BYTES: usize = 64 * 1024;
/// A bound on the token cache, whatever the number of users and repositories.
const MAX_TOKENS: u64 = 10_000;

/// Where tokens come from: the `realm` and `service` of a challenge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenEndpoint {
    pub realm: Url,
    pub service: Option<String>,
}

impl TokenEndpoint {
    /// From a `Bearer` challenge; None if it has no usable realm.
    pub fn from_challenge(c: &Challenge) -> Option<Self> {
        if c.scheme != "bearer" {
            return None;
        }
        let realm = Url::parse(c.param("realm")?)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))?;
        Some(Self {
            realm,
            service: c.param("service").map(str::to_string),
        })
    }
}

/// The token server's answer. Docker Hub sends both fields, GHCR only
/// `token`, OAuth2-style servers only `access_token`.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenResponse {
    pub fn parse(body: &[u8]) -> Result<(String, Duration), RegistryError> {
        let r: TokenResponse = serde_json::from_slice(body)
            .map_err(|e| RegistryError::Protocol(format!("token answer is not JSON: {e}")))?;
        let token = r
            .token
            .filter(|t| !t.is_empty())
            .or(r.access_token.filter(|t| !t.is_empty()))
            .ok_or_else(|| RegistryError::Protocol("token answer has no token".into()))?;
        let ttl = r
            .expires_in
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_TTL);
        Ok((token, ttl))
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    endpoint: TokenEndpoint,
    /// A hash of the credentials: tokens are never shared between users,
    /// and no password sits in the cache's keys.
    who: String,
    scopes: Vec<String>,
}

#[derive(Clone)]
struct Cached {
    token: Arc<str>,
    ttl: Duration,
}

struct TtlFromToken;

impl moka::Expiry<Key, Cached> for TtlFromToken {
    fn expire_after_create(&self, _: &Key, v: &Cached, _: Instant) -> Option<Duration> {
        Some(v.ttl.saturating_sub(EARLY).max(Duration::from_secs(1)))
    }
}

/// Tokens per (endpoint, user, scope). Concurrent misses for one key share a
/// single token request.
#[derive(Clone)]
pub struct TokenCache {
    cache: Cache<Key, Cached>,
}

impl Default for TokenCache {
    fn default() -> Self {
        Self {
            cache: Cache::builder()
                .max_capacity(MAX_TOKENS)
                .expire_after(TtlFromToken)
                .build(),
        }
    }
}

impl TokenCache {
    /// A cached token, or a fresh one from the token server.
    pub async fn get(
        &self,
        http: &reqwest::Client,
        endpoint: &TokenEndpoint,
        creds: &Credentials,
        scopes: &[String],
    ) -> Result<Arc<str>, RegistryError> {
        let key = Key {
            endpoint: endpoint.clone(),
            who: creds.fingerprint(),
            scopes: scopes.to_vec(),
        };
        self.cache
            .try_get_with(key, async {
                let (token, ttl) = fetch(http, endpoint, creds, scopes).await?;
                Ok::<_, RegistryError>(Cached {
                    token: token.into(),
                    ttl,
                })
            })
            .await
            .map(|c| c.token)
            .map_err(|e| (*e).clone())
    }

    /// Drops a token the registry refused, so the retry fetches a new one.
    pub async fn forget(&self, endpoint: &TokenEndpoint, creds: &Credentials, scopes: &[String]) {
        self.cache
            .invalidate(&Key {
                endpoint: endpoint.clone(),
                who: creds.fingerprint(),
                scopes: scopes.to_vec(),
            })
            .await;
    }
}

/// `GET <realm>?service=…&scope=…` with Basic credentials (never in the URL).
async fn fetch(
    http: &reqwest::Client,
    endpoint: &TokenEndpoint,
    creds: &Credentials,
    scopes: &[String],
) -> Result<(String, Duration), RegistryError> {
    let mut url = endpoint.realm.clone();
    {
        let mut q = url.query_pairs_mut();
        if let Some(service) = &endpoint.service {
            q.append_pair("service", service);
        }
        for s in scopes {
            q.append_pair("scope", s);
        }
        if let Credentials::Basic { username, .. } = creds {
            q.append_pair("account", username);
        }
    }
    let mut rb = http.get(url);
    if let Credentials::Basic { username, password } = creds {
        rb = rb.basic_auth(username, Some(password));
    }
    if let Some(id) = super::request_id::current() {
        rb = rb.header("x-request-id", id);
    }
    let started = std::time::Instant::now();
    let answer = rb.send().await;
    let status = answer.as_ref().ok().map(|r| r.status().as_u16());
    super::call_metrics::record("token", status, started.elapsed());
    let resp = answer.map_err(|e| RegistryError::Unreachable {
        url: endpoint.realm.to_string(),
        detail: format!(
            "token server: {}",
            super::transport::describe_transport_error(&e)
        ),
    })?;
    let status = resp.status().as_u16();
    match status {
        200..=299 => TokenResponse::parse(
            &super::bounded_read::read_limited(resp, MAX_TOKEN_ANSWER_BYTES, "a token answer")
                .await?,
        ),
        // The token server refused the username or password.
        401 | 403 => Err(RegistryError::Unauthorized { challenge: None }),
        _ => Err(RegistryError::Protocol(format!(
            "token server {} answered {status}",
            endpoint.realm
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::auth::parse_challenges;

    #[test]
    fn token_or_access_token_and_default_lifetime() {
        let (t, ttl) = TokenResponse::parse(br#"{"token":"abc","expires_in":300}"#).unwrap();
        assert_eq!((t.as_str(), ttl.as_secs()), ("abc", 300));
        let (t, ttl) = TokenResponse::parse(br#"{"access_token":"xyz"}"#).unwrap();
        assert_eq!((t.as_str(), ttl.as_secs()), ("xyz", 60));
        let (t, _) =
            TokenResponse::parse(br#"{"token":"","access_token":"both","expires_in":0}"#).unwrap();
        assert_eq!(t, "both");
        assert!(TokenResponse::parse(br#"{"expires_in":10}"#).is_err());
        assert!(TokenResponse::parse(b"<html>").is_err());
    }

    #[test]
    fn endpoint_needs_an_http_realm() {
        let c = &parse_challenges(r#"Bearer realm="https://auth.example/token",service="reg""#)[0];
        let e = TokenEndpoint::from_challenge(c).unwrap();
        assert_eq!(e.realm.as_str(), "https://auth.example/token");
        assert_eq!(e.service.as_deref(), Some("reg"));
        let bad = &parse_challenges(r#"Bearer realm="file:///etc/passwd""#)[0];
        assert!(TokenEndpoint::from_challenge(bad).is_none());
        let basic = &parse_challenges(r#"Basic realm="x""#)[0];
        assert!(TokenEndpoint::from_challenge(basic).is_none());
    }
}
