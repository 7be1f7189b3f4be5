//! Request guard: refuses cross-site writes and sends logged-out visitors
//! of any page to the login form.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::config::AuthMode;
use super::session;
use super::state::AppState;
use crate::routes;

/// Paths anyone may fetch: the login form, assets, the health checks, the
/// display preferences (a cookie and a redirect, also on the login page)
/// and the machine endpoints (which check their own bearer tokens).
/// Server functions (`/api/`) check the session themselves and answer 401.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/healthz"
        || path == "/readyz"
        || path == "/events"
        || path == "/metrics"
        || path == "/prefs"
        || path == "/favicon.ico"
        || path == "/favicon.svg"
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path.starts_with("/auth/")
        || path.starts_with("/actions/")
}

/// True when the browser says the request came from another site. Modern
/// browsers send `Sec-Fetch-Site`; older ones send `Origin` on POST.
fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        _ => false,
    }
}

pub async fn guard(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && is_cross_site(&req) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are refused.").into_response();
    }
    let path = req.uri().path();
    if !unsafe_method
        && !is_public(path)
        && state.settings().auth != AuthMode::None
        && session::current_user(&state, &session).await.is_none()
    {
        let target = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        return Redirect::to(&format!("/login?next={}", routes::encode(target))).into_response();
    }
    next.run(req).await
}
