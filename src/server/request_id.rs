//! A fresh id for every request: in the `X-Request-Id` header (both ways)
//! and on every log line of the request, so a short error page that shows
//! only the id leads an administrator to the whole story in the log. An id
//! a client sends is replaced: log lines must not be forgeable.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub async fn assign(mut req: Request, next: Next) -> Response {
    let id = new_id();
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    req.headers_mut().insert(HEADER, value.clone());
    let span =
        tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path());
    let mut resp = next.run(req).instrument(span).await;
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
