//! A backstop deadline for every request: whatever stalls, the browser gets
//! an answer with an honest status instead of waiting forever. Registry calls
//! time out sooner (30 s), so this only fires for stalls elsewhere.

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const REQUEST_DEADLINE: Duration = Duration::from_secs(45);

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
