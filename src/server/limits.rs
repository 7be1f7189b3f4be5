//! Bounds on every request: a URI size and a backstop deadline, so whatever
//! stalls, the browser gets an answer with an honest status instead of
//! waiting for ever. Registry calls time out sooner (30 s), so the deadline
//! only fires for stalls elsewhere. Reading the request head is bounded
//! earlier, in `serve.rs`.

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const REQUEST_DEADLINE: Duration = Duration::from_secs(45);
/// No page of Berth needs a longer URL; the longest real ones (a filter, a
/// list of tags to delete) stay far below it.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// The largest request body: a delete form of a thousand digests is about
/// 80 KiB; server-function arguments are far smaller.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub async fn deadline(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    match tokio::time::timeout(REQUEST_DEADLINE, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::error!(%path, "request exceeded the {}s deadline", REQUEST_DEADLINE.as_secs());
            (StatusCode::GATEWAY_TIMEOUT, "Berth did not finish this request in time. Try again; if it keeps happening, check the registry's health.")
                .into_response()
        }
    }
}

pub async fn uri_size(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return (
            StatusCode::URI_TOO_LONG,
            format!("This address is {len} bytes long; Berth accepts at most {MAX_URI_BYTES}. Shorten the filter or the list of tags."),
        )
            .into_response();
    }
    next.run(req).await
}
