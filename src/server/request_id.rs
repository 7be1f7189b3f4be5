//! An id for every request: in the `X-Request-Id` header (both ways), on
//! the request's log line, on its audit rows, and on every registry call
//! made for it, so a short error page that shows only the id leads an
//! administrator to the whole story in both logs.
//!
//! The id a reverse proxy sent is kept when the proxy is one of
//! `BERTH_TRUSTED_PROXIES` (the rule the client address follows) and the id
//! is short and plain (letters, digits, `-`, `_`, `.`, `:`), so one id
//! follows a request through the proxy, Berth and the registry. Any other
//! sender gets a fresh id: a client must not pick the id its audit rows and
//! log lines are filed under.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use super::state::AppState;

pub const HEADER: &str = "x-request-id";
const MAX_LEN: usize = 64;

fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A sent id worth keeping.
fn is_plain(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

pub async fn assign(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let from_proxy = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|c| {
            let trusted = &state.settings().trusted_proxies;
            trusted.iter().any(|net| net.contains(&c.0.ip()))
        });
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| from_proxy && is_plain(v))
        .map_or_else(new_id, str::to_string);
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    req.headers_mut().insert(HEADER, value.clone());
    let mut resp = crate::registry::request_id::scope(id, next.run(req)).await;
    resp.headers_mut().insert(HEADER, value);
    resp
}

/// The id of the request being served, inside a server function or page.
pub fn current() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_kept_and_others_replaced() {
        assert!(is_plain("0f3a9c"));
        assert!(is_plain("req-42_a.b:c"));
        assert!(!is_plain(""));
        assert!(!is_plain(&"a".repeat(65)));
        assert!(!is_plain("a b"));
        assert!(!is_plain("a\"b"));
        assert!(!is_plain("<script>"));
        assert_eq!(new_id().len(), 16);
    }
}
