//! Every request's handler runs to its end in a task of its own.
//!
//! Leptos starts each resource's future in a task of its own. When a request
//! is dropped mid-render (the client went away, or the deadline answered
//! first), the page's reactive owners are dropped while those tasks still
//! run. A task that then looks up a context can end up holding the last
//! reference to an owner whose clean-up needs a lock the same lookup holds
//! (reactive_graph 0.2, `Owner::with_context`), and its worker thread waits
//! for ever: two such requests and a two-core server stops answering. Here a
//! page is always rendered to the end (its registry calls have their own
//! timeouts), so its owners are dropped only after everything it started has
//! finished. A client that leaves only stops waiting.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::error::AppError;

pub async fn run_to_completion(req: Request, next: Next) -> Response {
    // The request id rides along as a task-local; spawn does not carry those.
    let task = crate::registry::request_id::carry(next.run(req)).in_current_span();
    match tokio::spawn(task).await {
        Ok(resp) => resp,
        Err(e) => AppError::Internal(format!("a request's handler stopped: {e}")).into_response(),
    }
}
