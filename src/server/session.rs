//! The login session: who is logged in, their registry credentials (kept
//! server-side only) and the anti-CSRF token.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::config::AuthMode;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{Role, Viewer};
use crate::registry::Credentials;

const USER_KEY: &str = "berth.user";
const TOUCHED_KEY: &str = "berth.touched";

/// Stored in the server-side session store; only the random session id
/// travels in the cookie.
#[derive(Clone, Serialize, Deserialize)]
pub struct SessionUser {
    pub username: String,
    /// Set in `registry` mode only, to call the registry as this user:
    /// the password sealed with `BERTH_SECRET_KEY` (`store::secret`), never
    /// in clear.
    pub sealed_password: Option<String>,
    pub csrf: String,
}

/// Everything a server function needs about the caller.
pub struct Caller {
    pub viewer: Viewer,
    pub credentials: Credentials,
    /// BERTH_ADMINS names nobody, so nobody may delete.
    pub no_admins: bool,
    /// Address and request id, for the audit log.
    pub request: super::audit::RequestMeta,
}

impl Caller {
    pub fn require_delete(&self) -> Result<(), AppError> {
        if self.viewer.can_delete {
            Ok(())
        } else if self.no_admins {
            Err(AppError::Forbidden(crate::t!("forbidden-no-admins")))
        } else {
            Err(AppError::Forbidden(crate::t!("forbidden-delete")))
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.viewer.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden(crate::t!("forbidden-admin-page")))
        }
    }

    /// Constant-time comparison of the submitted anti-CSRF token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        use subtle::ConstantTimeEq;
        let ok = !self.viewer.csrf.is_empty()
            && bool::from(self.viewer.csrf.as_bytes().ct_eq(submitted.as_bytes()));
        if ok {
            Ok(())
        } else {
            Err(AppError::Forbidden(crate::t!("forbidden-csrf")))
        }
    }
}

pub fn new_csrf_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The logged-in user, if any. In `htpasswd` mode the user must still be
/// in the file: removing a line there ends that user's sessions at their
/// next request (a file that cannot be read ends them too: fail closed).
pub async fn current_user(state: &AppState, session: &Session) -> Option<SessionUser> {
    let user = session.get::<SessionUser>(USER_KEY).await.ok().flatten()?;
    let settings = state.settings();
    touch(session, settings.session_idle).await;
    // A sealed password this key cannot open (the key changed, or the
    // record was tampered with) is no login, and the guard sends the user
    // to the login form. The record is left alone: a replica started with
    // a wrong key must not delete the whole fleet's sessions.
    if settings.auth == AuthMode::Registry
        && user
            .sealed_password
            .as_deref()
            .and_then(|sealed| settings.secret_key.open(&user.username, sealed))
            .is_none()
    {
        tracing::warn!(user = %user.username, "a session's sealed password does not open with this key (BERTH_SECRET_KEY differs between replicas?)");
        return None;
    }
    if let (AuthMode::Htpasswd, Some(path)) = (settings.auth, &settings.htpasswd) {
        if !super::htpasswd::has_user(path, &user.username)
            .await
            .unwrap_or(false)
        {
            tracing::info!(user = %user.username, "session ended: no longer in the htpasswd file");
            if let Err(e) = log_out(session).await {
                tracing::warn!(error = %e, "ending the session of a user gone from htpasswd failed");
            }
            return None;
        }
    }
    Some(user)
}

/// Idle expiry only slides when the session is saved. Saving on every
/// request would write the store on every page and asset; once per quarter
/// of the idle limit (at most once a minute) keeps the slide exact enough.
async fn touch(session: &Session, idle: std::time::Duration) {
    let every = (idle / 4).min(std::time::Duration::from_secs(60));
    let now = chrono::Utc::now().timestamp_millis();
    let last = session
        .get::<i64>(TOUCHED_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if now.saturating_sub(last) >= every.as_millis() as i64 {
        let _ = session.insert(TOUCHED_KEY, now).await;
    }
}

/// Logs a user in: a fresh session id (no fixation) holding the user.
pub async fn log_in(session: &Session, user: SessionUser) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::Internal(format!("session store: {e}")))?;
    session
        .insert(USER_KEY, user)
        .await
        .map_err(|e| AppError::Internal(format!("session store: {e}")))
}

/// Ends the session and deletes its record; an error means the record may
/// still be valid, so the caller must not claim a logout.
pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(|e| {
        AppError::Internal(format!(
            "the session store did not end the session ({e}); you are still logged in, try again"
        ))
    })
}

/// Resolves the caller from the session, or fails with `Unauthenticated`.
pub async fn caller(
    state: &AppState,
    session: &Session,
    request: super::audit::RequestMeta,
) -> Result<Caller, AppError> {
    let settings = state.settings();
    if settings.auth == AuthMode::None {
        return Ok(Caller {
            viewer: Viewer {
                username: "anonymous".into(),
                role: Role::Viewer,
                logged_in: false,
                can_delete: false,
                csrf: String::new(),
            },
            credentials: state.service_credentials(),
            no_admins: settings.admins.is_none(),
            request,
        });
    }
    let user = current_user(state, session)
        .await
        .ok_or(AppError::Unauthenticated)?;
    let role = state.role_of(&user.username);
    let credentials = match (&settings.auth, &user.sealed_password) {
        (AuthMode::Registry, Some(sealed)) => Credentials::Basic {
            username: user.username.clone(),
            // A key that changed (or a record moved between users) cannot
            // open it: log in again.
            password: settings
                .secret_key
                .open(&user.username, sealed)
                .ok_or(AppError::Unauthenticated)?,
        },
        (AuthMode::Registry, None) => return Err(AppError::Unauthenticated),
        _ => state.service_credentials(),
    };
    Ok(Caller {
        viewer: Viewer {
            username: user.username,
            role,
            logged_in: true,
            can_delete: role == Role::Admin && !settings.read_only,
            csrf: user.csrf,
        },
        credentials,
        no_admins: settings.admins.is_none(),
        request,
    })
}

/// For server functions: the state and the caller, from Leptos's context.
pub async fn from_context() -> Result<(AppState, Caller), AppError> {
    let state = leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::Internal("application state missing".into()))?;
    let session: Session = leptos_axum::extract()
        .await
        .map_err(|e| AppError::Internal(format!("session unavailable: {e}")))?;
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()
        .ok_or_else(|| AppError::Internal("request missing".into()))?;
    let request = super::audit::RequestMeta::of(&parts, &state);
    let caller = caller(&state, &session, request).await?;
    Ok((state, caller))
}
