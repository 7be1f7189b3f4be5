//! The one error type of the app. Every variant has an HTTP status and a
//! message a person can act on; pages and server functions both use it.
//! `Display` is English, for logs; pages show `texts()`, in the reader's
//! language.

use serde::{Deserialize, Serialize};

use crate::t;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("You need to log in to see this page.")]
    Unauthenticated,
    #[error("Your role does not allow this: {0}")]
    Forbidden(String),
    /// A delete that would take these protected tags (`BERTH_PROTECTED_TAGS`) with it.
    #[error("{0} is protected (BERTH_PROTECTED_TAGS): nothing was deleted.")]
    Protected(String),
    /// A delete refused because the tags on the image could not be read
    /// from the registry, so whether a protected one is among them is not
    /// known.
    #[error("Berth could not check the image's tags against BERTH_PROTECTED_TAGS ({0}): nothing was deleted.")]
    ProtectionUnknown(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    /// The request was made against a state that has changed since (a
    /// retention plan whose policy was edited): nothing was changed.
    #[error("{0}")]
    Conflict(String),
    #[error("Deleting is disabled in the registry's configuration. Set storage.delete.enabled: true in the registry's config.yml and restart it to allow deletes.")]
    DeleteDisabled,
    #[error("Berth could not reach the registry at {url} ({detail}). Check that the registry is running, that BERTH_REGISTRY_URL is right and reachable from Berth's host, and, for https, that BERTH_REGISTRY_CA names the CA that signed its certificate.")]
    RegistryUnreachable { url: String, detail: String },
    #[error("The server at {url} is not a Registry API v2 server: GET /v2/ answered 404. Check BERTH_REGISTRY_URL; it must point at a registry:2 (or compatible) root.")]
    NotARegistry { url: String },
    #[error("The registry pointed Berth at {origin} for {purpose}. That is not the registry's own server, so Berth sent it nothing and stopped. If it is your token server, add its origin to BERTH_TOKEN_REALMS.")]
    RegistryForeignOrigin { purpose: String, origin: String },
    #[error("The registry refused Berth's credentials. {0}")]
    RegistryAuth(String),
    #[error("The registry answered something Berth did not expect: {0}")]
    RegistryProtocol(String),
    #[error("Something went wrong on the server: {0}")]
    Internal(String),
    /// A part Berth needs for this action (the database) is not working;
    /// nothing was changed.
    #[error("{0}")]
    Unavailable(String),
    /// What a non-admin sees instead of an error whose text names internal
    /// addresses, transport errors or token realms.
    #[error("Berth could not complete this request. The details are in Berth's log under request id {request_id}; an administrator can look them up there.")]
    Withheld {
        status: u16,
        title: String,
        request_id: String,
    },
    /// An error already put into the reader's language by the server, as
    /// server functions send it: the browser has no translations.
    #[error("{message}")]
    Localized {
        status: u16,
        title: String,
        message: String,
        login: String,
        back: String,
    },
}

/// The words of an error page, in the reader's language.
pub struct ErrorTexts {
    pub title: String,
    pub message: String,
    /// The "Log in" link (shown for a 401).
    pub login: String,
    /// The link back to the repository list.
    pub back: String,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::Protected(_) => 409,
            AppError::ProtectionUnknown(_) => 503,
            AppError::BadRequest(_) => 400,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::DeleteDisabled => 405,
            AppError::RegistryUnreachable { .. }
            | AppError::NotARegistry { .. }
            | AppError::RegistryProtocol(_)
            | AppError::RegistryForeignOrigin { .. } => 502,
            AppError::RegistryAuth(_) => 502,
            AppError::Internal(_) => 500,
            AppError::Unavailable(_) => 503,
            AppError::Withheld { status, .. } | AppError::Localized { status, .. } => *status,
        }
    }

    /// The error in the current request's language, ready to send to a
    /// browser.
    pub fn localized(self) -> AppError {
        if matches!(self, AppError::Localized { .. }) {
            return self;
        }
        let status = self.status();
        let ErrorTexts {
            title,
            message,
            login,
            back,
        } = self.texts();
        AppError::Localized {
            status,
            title,
            message,
            login,
            back,
        }
    }

    /// The title, message and links of the error's page.
    pub fn texts(&self) -> ErrorTexts {
        if let AppError::Localized {
            title,
            message,
            login,
            back,
            ..
        } = self
        {
            return ErrorTexts {
                title: title.clone(),
                message: message.clone(),
                login: login.clone(),
                back: back.clone(),
            };
        }
        ErrorTexts {
            title: self.title(),
            message: self.message(),
            login: t!("login-button"),
            back: t!("error-back"),
        }
    }

    /// The explanation, in the current request's language. Free-text
    /// variants were written in it where they were made.
    fn message(&self) -> String {
        match self {
            AppError::Unauthenticated => t!("error-unauthenticated"),
            AppError::Forbidden(why) => t!("error-forbidden", detail = why),
            AppError::Protected(tags) => t!("delete-protected", tags = tags),
            AppError::ProtectionUnknown(why) => t!("delete-protection-unknown", detail = why),
            AppError::BadRequest(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m)
            | AppError::Unavailable(m) => m.clone(),
            AppError::DeleteDisabled => t!("error-delete-disabled"),
            AppError::RegistryUnreachable { url, detail } => {
                t!("error-registry-unreachable", url = url, detail = detail)
            }
            AppError::NotARegistry { url } => t!("error-not-a-registry", url = url),
            AppError::RegistryForeignOrigin { purpose, origin } => {
                t!("error-foreign-origin", purpose = purpose, origin = origin)
            }
            AppError::RegistryAuth(m) => t!("error-registry-auth", detail = m),
            AppError::RegistryProtocol(m) => t!("error-registry-protocol", detail = m),
            AppError::Internal(m) => t!("error-internal", detail = m),
            AppError::Withheld { request_id, .. } => t!("error-withheld", id = request_id),
            AppError::Localized { message, .. } => message.clone(),
        }
    }

    /// The error as a viewer may see it: anything that would show the
    /// registry's address, a transport error chain or a token realm becomes
    /// a short message with the request id (the detail goes to the log).
    pub fn withheld(self, request_id: &str) -> AppError {
        match self {
            AppError::RegistryUnreachable { .. }
            | AppError::NotARegistry { .. }
            | AppError::RegistryProtocol(_)
            | AppError::RegistryForeignOrigin { .. }
            | AppError::Internal(_) => AppError::Withheld {
                status: self.status(),
                title: self.title(),
                request_id: request_id.to_string(),
            },
            other => other,
        }
    }

    /// A short heading for the error page, in the current language.
    pub fn title(&self) -> String {
        match self {
            AppError::Unauthenticated => t!("error-title-unauthenticated"),
            AppError::Forbidden(_) => t!("error-title-forbidden"),
            AppError::Protected(_) => t!("error-title-protected"),
            AppError::ProtectionUnknown(_) => t!("error-title-protection-unknown"),
            AppError::BadRequest(_) => t!("error-title-bad-request"),
            AppError::NotFound(_) => t!("error-title-not-found"),
            AppError::Conflict(_) => t!("error-title-conflict"),
            AppError::DeleteDisabled => t!("error-title-delete-disabled"),
            AppError::RegistryUnreachable { .. } => t!("error-title-unreachable"),
            AppError::NotARegistry { .. } => t!("error-title-not-a-registry"),
            AppError::RegistryAuth(_) => t!("error-title-registry-auth"),
            AppError::RegistryForeignOrigin { .. } => t!("error-title-foreign-origin"),
            AppError::RegistryProtocol(_) => t!("error-title-protocol"),
            AppError::Internal(_) => t!("error-title-internal"),
            AppError::Unavailable(_) => t!("error-title-unavailable"),
            AppError::Withheld { title, .. } | AppError::Localized { title, .. } => title.clone(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::Deserialization(m) => AppError::BadRequest(m),
            E::Request(m) => AppError::Internal(format!("the request to the server failed: {m}")),
            other => AppError::Internal(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use crate::registry::{NameError, RegistryError};

    /// A name that does not parse is the caller's mistake: a 400 that
    /// quotes (a short cut of) what was sent.
    impl From<NameError> for AppError {
        fn from(e: NameError) -> Self {
            AppError::BadRequest(e.to_string())
        }
    }

    impl From<RegistryError> for AppError {
        fn from(e: RegistryError) -> Self {
            match e {
                RegistryError::Unreachable { url, detail } => {
                    AppError::RegistryUnreachable { url, detail }
                }
                RegistryError::NotV2 { url } => AppError::NotARegistry { url },
                RegistryError::Unauthorized { .. } => {
                    AppError::RegistryAuth(crate::t!("error-check-credentials"))
                }
                RegistryError::Denied(m) => {
                    AppError::Forbidden(crate::t!("error-registry-denied", detail = m))
                }
                RegistryError::NotFound(m) => {
                    AppError::NotFound(crate::t!("error-registry-no-such-item", detail = m))
                }
                RegistryError::Unsupported(_) => AppError::DeleteDisabled,
                RegistryError::Protocol(m) => AppError::RegistryProtocol(m),
                e @ RegistryError::TooLarge { .. } => AppError::RegistryProtocol(e.to_string()),
                RegistryError::ForeignOrigin { purpose, origin } => {
                    AppError::RegistryForeignOrigin {
                        purpose: purpose.to_string(),
                        origin,
                    }
                }
                RegistryError::Status {
                    status,
                    code,
                    message,
                } => AppError::RegistryProtocol(format!("HTTP {status} {code} {message}")),
            }
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, self.to_string()).into_response()
        }
    }
}
