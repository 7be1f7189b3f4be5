//! Plain HTML form endpoints (log in, log out, delete). They work with
//! JavaScript off and answer with Post/Redirect/Get.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::audit::{self, Action, RequestMeta};
use super::client_ip::ClientIp;
use super::config::AuthMode;
use super::deletion::delete_confirmed;
use super::login_throttle::RetryAfter;
use super::session::{self, SessionUser};
use super::state::AppState;
use super::tag_removal::remove_tag_confirmed;
use crate::error::AppError;
use crate::i18n::{text_in, Locale};
use crate::registry::{Credentials, RegistryError};
use crate::routes;

/// The fields of a urlencoded body, keeping repeated keys.
pub(super) fn fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Back to the form with what went wrong. The username typed goes back
/// into the form through a short-lived cookie (`LOGIN_USER_COOKIE`), not
/// the URL, where it would reach logs and history.
fn login_again(error: &str, next: &str, username: &str) -> Response {
    let mut resp = Redirect::to(&format!(
        "/login?error={error}&next={}",
        routes::encode(next)
    ))
    .into_response();
    if !username.is_empty() && username.len() <= MAX_CREDENTIAL_BYTES {
        let value: String = url::form_urlencoded::byte_serialize(username.as_bytes()).collect();
        set_login_user(&mut resp, &value, 300);
    }
    resp
}

/// Sets (or, with 0 seconds, clears) the cookie that keeps a failed
/// login's username for the form.
fn set_login_user(resp: &mut Response, value: &str, seconds: u32) {
    let cookie = format!(
        "{}={value}; Max-Age={seconds}; Path=/; HttpOnly; SameSite=Strict",
        crate::prefs::LOGIN_USER_COOKIE
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The longest username or password Berth will check; registries and
/// htpasswd files hold nothing longer, and bcrypt reads only 72 bytes.
const MAX_CREDENTIAL_BYTES: usize = 256;

/// 429 with a page that says when to try again.
fn too_many_attempts(retry: RetryAfter, base: &str, locale: Locale) -> Response {
    let secs = retry.seconds();
    let text = |key| text_in(locale, key, &[("secs", secs.into())]);
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title} · Berth</title>\
         <link rel=\"stylesheet\" href=\"{base}/pkg/berth.css\"></head><body><main class=\"error\">\
         <h1>{heading}</h1><p>{body}</p><p><a href=\"{base}/login\">{back}</a></p>\
         </main></body></html>",
        lang = locale.tag(),
        title = text("too-many-title"),
        heading = text("too-many-heading"),
        body = text("too-many-body"),
        back = text("too-many-back"),
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::RETRY_AFTER, secs.to_string()),
            (header::CONTENT_TYPE, "text/html; charset=utf-8".into()),
        ],
        body,
    )
        .into_response()
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    meta: RequestMeta,
    session: Session,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let locale = crate::i18n::from_headers(&headers);
    let f = fields(&body);
    let (username, password) = (field(&f, "username").trim(), field(&f, "password"));
    let next = routes::safe_next(field(&f, "next"));
    let settings = state.settings();
    if settings.auth == AuthMode::None {
        return Redirect::to(next).into_response();
    }
    if username.is_empty()
        || password.is_empty()
        || username.contains(':')
        || username.len() > MAX_CREDENTIAL_BYTES
        || password.len() > MAX_CREDENTIAL_BYTES
    {
        return login_again("invalid", next, username);
    }
    // Every outcome of a login attempt leaves an audit row.
    let login_row = |result: &'static str, detail: &str| {
        let (state, meta, detail) = (&state, &meta, detail.to_string());
        async move { audit::record(state, username, meta, Action::Login, result, &detail).await }
    };
    let throttle = &state.shared.logins;
    if let Err(retry) = throttle.admit(ip, username) {
        tracing::warn!(user = %username, %ip, retry_secs = retry.seconds(), "login refused: too many failures");
        login_row("refused", "too many failed logins").await;
        return too_many_attempts(retry, &state.settings().base_path, locale);
    }
    let verified = match settings.auth {
        AuthMode::Htpasswd => {
            // bcrypt is CPU-heavy: a bounded number of checks at once, so a
            // burst of logins cannot starve pages and the bundle. (In
            // `registry` mode the check is a network call, bounded by the
            // throttle and the registry concurrency limit instead.)
            let Some(_permit) = throttle.check_permit().await else {
                return AppError::Internal("login checks are shutting down".into()).into_response();
            };
            let path = settings.htpasswd.clone().unwrap_or_default();
            let (u, p) = (username.to_string(), password.to_string());
            match tokio::task::spawn_blocking(move || super::htpasswd::verify(&path, &u, &p)).await
            {
                Ok(Ok(ok)) => Ok(ok),
                _ => Err("htpasswd"),
            }
        }
        _ => {
            let creds = Credentials::Basic {
                username: username.into(),
                password: password.into(),
            };
            match state.registry().ping(&creds).await {
                // A registry that also lets anonymous callers in has not
                // checked the password, so it cannot vouch for the user
                // (anyone could log in as an admin's name).
                Ok(_)
                    if state
                        .registry()
                        .probe()
                        .await
                        .is_ok_and(|p| p.status == 200) =>
                {
                    tracing::warn!("registry accepts anonymous access; BERTH_AUTH=registry cannot verify users");
                    Err("registry-open")
                }
                Ok(_) => Ok(true),
                Err(RegistryError::Unauthorized { .. }) | Err(RegistryError::Denied(_)) => {
                    Ok(false)
                }
                Err(RegistryError::NotV2 { .. }) => Err("not-registry"),
                Err(e @ RegistryError::ForeignOrigin { .. }) => {
                    tracing::error!(error = %e, "login refused: the registry named an untrusted server");
                    Err("foreign-realm")
                }
                Err(e) => {
                    tracing::warn!(error = %e, "registry check failed during login");
                    Err("unreachable")
                }
            }
        }
    };
    match verified {
        Ok(true) => {
            let user = SessionUser {
                username: username.to_string(),
                // Sealed: the session store is a database a dump can show.
                sealed_password: (settings.auth == AuthMode::Registry)
                    .then(|| settings.secret_key.seal(username, password)),
                csrf: session::new_csrf_token(),
            };
            if let Err(e) = session::log_in(&session, user).await {
                login_row("failed", "the session store failed").await;
                return e.into_response();
            }
            tracing::info!(user = %username, %ip, "logged in");
            login_row("ok", "").await;
            let mut resp = Redirect::to(next).into_response();
            // Forget a failed attempt's username, if there was one.
            let kept = headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|h| crate::prefs::cookie(h, crate::prefs::LOGIN_USER_COOKIE).is_some());
            if kept {
                set_login_user(&mut resp, "", 0);
            }
            resp
        }
        Ok(false) => {
            tracing::info!(user = %username, %ip, "failed login");
            login_row("failed", "wrong username or password").await;
            throttle.failed(ip, username);
            match throttle.admit(ip, username) {
                Err(retry) => too_many_attempts(retry, &state.settings().base_path, locale),
                Ok(()) => login_again("invalid", next, username),
            }
        }
        Err(code) => {
            let why = format!("could not check the password ({code})");
            login_row("failed", &why).await;
            login_again(code, next, username)
        }
    }
}

/// Logs out, given the session's anti-CSRF token: another site cannot end
/// a user's session. Without a session there is nothing to end.
pub async fn logout(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let mut who = None;
    if let Ok(caller) = session::caller(&state, &session, meta.clone()).await {
        if state.settings().auth != AuthMode::None {
            if let Err(e) = caller.check_csrf(field(&fields(&body), "csrf")) {
                return e.into_response();
            }
            who = Some(caller.viewer.username);
        }
    }
    if let Err(e) = session::log_out(&session).await {
        if let Some(user) = &who {
            audit::record(
                &state,
                user,
                &meta,
                Action::Logout,
                "failed",
                "the session store failed",
            )
            .await;
        }
        return e.into_response();
    }
    if let Some(user) = &who {
        audit::record(&state, user, &meta, Action::Logout, "ok", "").await;
    }
    Redirect::to("/login?loggedout=1").into_response()
}

/// A confirmed change form: the repository, the session's anti-CSRF token
/// and the repeated `item` fields (digests or tags), from an admin whose
/// token checks out.
struct Confirmed {
    caller: session::Caller,
    repo: String,
    csrf: String,
    items: Vec<String>,
}

async fn confirmed(
    state: &AppState,
    session: &Session,
    meta: RequestMeta,
    body: &[u8],
    item: &str,
    none_message: &str,
) -> Result<Confirmed, AppError> {
    let f = fields(body);
    let repo = field(&f, "repository").to_string();
    let csrf = field(&f, "csrf").to_string();
    let items: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == item)
        .map(|(_, v)| v.clone())
        .collect();
    let caller = session::caller(state, session, meta).await?;
    caller.require_delete()?;
    caller.check_csrf(&csrf)?;
    if items.is_empty() {
        return Err(AppError::BadRequest(none_message.into()));
    }
    Ok(Confirmed {
        caller,
        repo,
        csrf,
        items,
    })
}

/// Back to the repository with how many went (`done_key`) and, if one
/// failed, why; a bad repository name gets the error page itself.
fn back_to_repo(repo: &str, done_key: &str, done: usize, error: Option<AppError>) -> Response {
    match error {
        None => {
            Redirect::to(&format!("{}?{done_key}={done}", routes::repo_path(repo))).into_response()
        }
        Some(e) if crate::registry::RepositoryName::parse(repo).is_ok() => Redirect::to(&format!(
            "{}?{done_key}={done}&delete_error={}",
            routes::repo_path(repo),
            routes::delete_error_code(&e)
        ))
        .into_response(),
        Some(e) => e.into_response(),
    }
}

/// Deletes the digests the user confirmed on the delete page.
pub async fn delete(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let c = match confirmed(
        &state,
        &session,
        meta,
        &body,
        "digest",
        "No digest was confirmed for deletion.",
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let mut deleted = 0;
    for d in &c.items {
        if let Err(e) = delete_confirmed(&state, &c.caller, &c.repo, d, &c.csrf).await {
            return back_to_repo(&c.repo, "deleted", deleted, Some(e));
        }
        deleted += 1;
    }
    back_to_repo(&c.repo, "deleted", deleted, None)
}

/// Removes the tags the user confirmed, keeping their manifests (only on
/// registries that support it; see `tag_removal`).
pub async fn remove_tags(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let c = match confirmed(
        &state,
        &session,
        meta,
        &body,
        "tag",
        "No tag was confirmed for removal.",
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let mut removed = 0;
    for t in &c.items {
        if let Err(e) = remove_tag_confirmed(&state, &c.caller, &c.repo, t, &c.csrf).await {
            return back_to_repo(&c.repo, "removed", removed, Some(e));
        }
        removed += 1;
    }
    back_to_repo(&c.repo, "removed", removed, None)
}

/// "Sync now" on the registry page (admins, with the CSRF token): wakes
/// the index sync and goes back to the page.
pub async fn sync_index(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let caller = match session::caller(&state, &session, meta).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = caller
        .require_admin()
        .and_then(|()| caller.check_csrf(field(&f, "csrf")))
    {
        return e.into_response();
    }
    if !state.indexer().enabled() {
        return AppError::BadRequest(crate::t!("index-off")).into_response();
    }
    state.indexer().sync_soon();
    Redirect::to("/admin/registry?sync=asked").into_response()
}
