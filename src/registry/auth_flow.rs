//! The auth flow of one registry call: send with what we know (Basic
//! credentials, or a token from the endpoint the registry named before);
//! on a 401 with a `Bearer` challenge from the registry itself, check the
//! realm, fetch a token for the scope asked, and retry once.

use std::sync::{Arc, RwLock};

use reqwest::{header, Method, RequestBuilder, Response, StatusCode};
use url::Url;

use super::auth::{parse_challenges, Challenge, Credentials};
use super::client::RegistryClient;
use super::error::RegistryError;
use super::scope::{split_challenge_scope, Scope};
use super::token::TokenEndpoint;

/// The registry's token endpoint, once its own `Bearer` challenge named
/// it: from then on tokens are fetched before each call instead of after a
/// 401. One per registry client. Only [`RegistryClient::call`] changes it:
/// it learns from answers whose URL is the registry's origin and whose
/// realm passed [`TrustedOrigins::check_realm`](super::TrustedOrigins), and
/// forgets it when its token server fails, so the registry can name
/// another on the next 401.
#[derive(Clone, Default)]
pub(super) struct BearerEndpoint(Arc<RwLock<Option<TokenEndpoint>>>);

impl BearerEndpoint {
    fn get(&self) -> Option<TokenEndpoint> {
        self.0.read().ok().and_then(|b| b.clone())
    }

    fn learn(&self, endpoint: &TokenEndpoint) {
        if let Ok(mut b) = self.0.write() {
            *b = Some(endpoint.clone());
        }
    }

    fn forget(&self, endpoint: &TokenEndpoint) {
        if let Ok(mut b) = self.0.write() {
            // Another call may have learnt a newer one meanwhile.
            if b.as_ref() == Some(endpoint) {
                *b = None;
            }
        }
    }
}

impl RegistryClient {
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

    /// Sends a body-less call with whatever auth the registry wants: Basic,
    /// or a bearer token for `scope` (cached). On a 401 with a `Bearer`
    /// challenge it fetches a token for the scope the challenge asks for
    /// and retries once.
    pub(super) async fn call(
        &self,
        method: Method,
        url: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        accept: Option<&str>,
    ) -> Result<Response, RegistryError> {
        let headers: Vec<(header::HeaderName, &str)> =
            accept.map(|a| (header::ACCEPT, a)).into_iter().collect();
        self.call_with(method, url, creds, scope, &headers, None)
            .await
    }

    /// `call` with request headers of the caller's (`Accept`, `Range`), and
    /// a time limit of its own for a long body (a layer).
    pub(super) async fn call_with(
        &self,
        method: Method,
        url: Url,
        creds: &Credentials,
        scope: Scope<'_>,
        headers: &[(header::HeaderName, &str)],
        timeout: Option<std::time::Duration>,
    ) -> Result<Response, RegistryError> {
        let build = |token: Option<&str>| {
            let mut rb = self.request(method.clone(), url.clone(), creds, token);
            for (name, value) in headers {
                rb = rb.header(name.clone(), *value);
            }
            match timeout {
                Some(t) => rb.timeout(t),
                None => rb,
            }
        };
        let ours = scope.to_params();
        let mut used = None;
        if let Some(endpoint) = self.bearer.get() {
            match self.tokens.get(&self.http, &endpoint, creds, &ours).await {
                Ok(token) => used = Some((endpoint, token)),
                // Wrong credentials are the user's: the endpoint is fine.
                Err(e @ RegistryError::Unauthorized { .. }) => return Err(e),
                // The token server is gone or broken: go without a token and
                // let the registry's 401 name the endpoint afresh.
                Err(e) => {
                    tracing::warn!(realm = %endpoint.realm, error = %e, "the token endpoint failed; asking the registry again");
                    self.bearer.forget(&endpoint);
                }
            }
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
        self.bearer.learn(&endpoint);
        let scopes = match challenge.param("scope") {
            Some(s) if !s.trim().is_empty() => split_challenge_scope(s),
            _ => ours.clone(),
        };
        // A token we already held was refused: do not reuse it.
        if let Some((held, _)) = &used {
            self.tokens.forget(held, creds, &ours).await;
            self.tokens.forget(&endpoint, creds, &scopes).await;
        }
        let token = match self.tokens.get(&self.http, &endpoint, creds, &scopes).await {
            Ok(t) => t,
            Err(e) => {
                if !matches!(e, RegistryError::Unauthorized { .. }) {
                    self.bearer.forget(&endpoint);
                }
                return Err(e);
            }
        };
        self.send(build(Some(&token))).await
    }
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
