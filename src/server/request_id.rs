//! An id for every request: in the `X-Request-Id` header (both ways), on
//! the request's log line, on its audit rows, and on every registry call
//! made for it, so a short error page that shows only the id leads an
//! administrator to the whole story in both logs.
//!
//! A proxy's or client's id is kept when it is short and plain (letters,
//! digits, `-`, `_`, `.`, `:`), so one id can follow a request through
//! several systems; anything else is replaced. Plain ids cannot forge log
//! lines or smuggle markup.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

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

pub async fn assign(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_plain(v))
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
