//! Server functions that fail before their body runs (arguments that do
//! not parse, a body cut off by the size limit) are answered by the server
//! function layer with a 500. Their body is still Berth's one error type,
//! so this layer gives such an answer the error's own status: bad input is
//! a 400, not a server fault.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::AppError;

/// An encoded `AppError` is small; anything larger is left as it is.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn fix(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
