//! `GET /prefs?theme=…&lang=…&next=…`: remembers a display preference
//! (theme, language) in a cookie
//! and goes back to the page. A link, so it works without JavaScript; it
//! changes nothing but how pages look, so it needs no login or CSRF token.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::state::AppState;
use crate::i18n::Locale;
use crate::prefs::Theme;
use crate::routes;

#[derive(Deserialize)]
pub struct PrefsQuery {
    theme: Option<String>,
    lang: Option<String>,
    next: Option<String>,
}

/// A year: a preference, not a session.
const MAX_AGE: u64 = 365 * 24 * 3600;

pub async fn set(State(state): State<AppState>, Query(q): Query<PrefsQuery>) -> Response {
    let settings = state.settings();
    let path = if settings.base_path.is_empty() {
        "/"
    } else {
        settings.base_path.as_str()
    };
    let secure = if settings.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    let next = routes::safe_next(q.next.as_deref().unwrap_or("/")).to_string();
    let mut response = Redirect::to(&next).into_response();
    if let Some(theme) = q.theme.as_deref().map(Theme::parse) {
        // Auto is the default: forget the choice.
        let cookie = match theme {
            Theme::Auto => format!(
                "{}=; Path={path}; Max-Age=0; SameSite=Lax; HttpOnly{secure}",
                Theme::COOKIE
            ),
            t => format!(
                "{}={}; Path={path}; Max-Age={MAX_AGE}; SameSite=Lax; HttpOnly{secure}",
                Theme::COOKIE,
                t.key()
            ),
        };
        if let Ok(v) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    // Unknown languages are ignored: the cookie only ever names one of ours.
    if let Some(locale) = q.lang.as_deref().and_then(Locale::parse) {
        let cookie = format!(
            "{}={}; Path={path}; Max-Age={MAX_AGE}; SameSite=Lax; HttpOnly{secure}",
            Locale::COOKIE,
            locale.tag()
        );
        if let Ok(v) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
