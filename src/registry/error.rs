//! What can go wrong when talking to a registry.

use serde::Deserialize;

use super::auth::parse_challenges;
use super::bounded_read::{read_prefix, MAX_ERROR_BYTES};
use super::error_code::ErrorCode;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    /// Connection refused, DNS failure, TLS failure or timeout.
    #[error("could not reach the registry at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    /// `GET /v2/` answered 404: not a Registry API v2 server.
    #[error("{url} does not answer the Registry API v2 (GET /v2/ returned 404)")]
    NotV2 { url: String },
    /// 401: credentials missing or wrong. Holds the `WWW-Authenticate` value.
    #[error("the registry refused the credentials")]
    Unauthorized { challenge: Option<String> },
    /// 403 or `DENIED`.
    #[error("the registry denied access: {0}")]
    Denied(String),
    /// 404 for a repository, manifest, tag or blob. Holds the registry's code.
    #[error("not found in the registry: {0}")]
    NotFound(String),
    /// 405 / `UNSUPPORTED`, e.g. DELETE with `storage.delete.enabled: false`.
    #[error("the registry does not support this operation: {0}")]
    Unsupported(String),
    /// The registry answered something that breaks the protocol.
    #[error("the registry sent an unexpected answer: {0}")]
    Protocol(String),
    /// The registry named a server other than itself (a `Link` page or a
    /// token realm) that Berth will not send credentials to.
    #[error("the registry pointed Berth at {origin} for {purpose}; that is not the registry's own server, so Berth did not contact it")]
    ForeignOrigin {
        purpose: &'static str,
        origin: String,
    },
    /// An answer larger than Berth reads for its kind (a list page, a
    /// manifest, an error or token answer).
    #[error(
        "the registry's answer ({what}) is larger than {limit} bytes; Berth stopped reading it"
    )]
    TooLarge { what: &'static str, limit: usize },
    /// Any other error status.
    #[error("the registry answered {status}: {message}")]
    Status {
        status: u16,
        code: ErrorCode,
        message: String,
    },
}

/// The JSON error envelope of the distribution spec.
#[derive(Debug, Deserialize)]
struct ErrorEnvelope {
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(Debug, Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

impl RegistryError {
    /// Maps an error status and body to an error, reading the spec's
    /// `{"errors":[{"code":…}]}` envelope when there is one.
    pub fn from_response(status: u16, body: &[u8], challenge: Option<String>) -> Self {
        let first = serde_json::from_slice::<ErrorEnvelope>(body)
            .ok()
            .and_then(|e| e.errors.into_iter().next());
        let (code, message) = match first {
            Some(e) => (ErrorCode::parse(&e.code), e.message),
            None => (
                ErrorCode::None,
                String::from_utf8_lossy(&body[..body.len().min(200)])
                    .trim()
                    .to_string(),
            ),
        };
        // Bodies are the registry's words: keep them short for pages and logs.
        let message: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
        let label = if code.is_none() {
            message.clone()
        } else {
            code.to_string()
        };
        match (status, &code) {
            (401, _) => RegistryError::Unauthorized { challenge },
            // The code says more than the status: zot answers 405 DENIED for
            // a manifest an index still references.
            (_, ErrorCode::Unsupported) => RegistryError::Unsupported(label),
            (_, ErrorCode::Denied) | (403, _) => RegistryError::Denied(label),
            (405, _) => RegistryError::Unsupported(label),
            (404, _)
            | (_, ErrorCode::NameUnknown | ErrorCode::ManifestUnknown | ErrorCode::BlobUnknown) => {
                RegistryError::NotFound(label)
            }
            _ => RegistryError::Status {
                status,
                code,
                message,
            },
        }
    }
}

/// Passes a success through; turns any other answer into a typed error,
/// reading at most [`MAX_ERROR_BYTES`] of its body.
pub(super) async fn check(resp: reqwest::Response) -> Result<reqwest::Response, RegistryError> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    let challenge = resp
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
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

/// The longest registry message Berth keeps.
const MAX_MESSAGE_CHARS: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_delete_disabled() {
        let body =
            br#"{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}"#;
        assert_eq!(
            RegistryError::from_response(405, body, None),
            RegistryError::Unsupported("UNSUPPORTED".into())
        );
    }

    #[test]
    fn maps_unknown_manifest_and_plain_bodies() {
        let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#;
        assert_eq!(
            RegistryError::from_response(404, body, None),
            RegistryError::NotFound("MANIFEST_UNKNOWN".into())
        );
        match RegistryError::from_response(500, b"boom", None) {
            RegistryError::Status {
                status: 500,
                message,
                ..
            } => assert_eq!(message, "boom"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
