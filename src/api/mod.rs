//! Server functions: thin adapters that take the session, call the
//! inventory or deletion service, and return data or an `AppError`.

mod activity;
mod audit_log;
mod dashboard;
mod delete_manifest;
mod delete_plan;
mod image_compare;
mod image_files;
mod registry_report;
mod repositories;
mod retention;
mod search;
mod storage;
mod suggest;
mod tag_detail;
mod tags;
mod viewer;

pub use activity::*;
pub use audit_log::*;
pub use dashboard::*;
pub use delete_manifest::*;
pub use delete_plan::*;
pub use image_compare::*;
pub use image_files::*;
pub use registry_report::*;
pub use repositories::*;
pub use retention::*;
pub use search::*;
pub use storage::*;
pub use suggest::*;
pub use tag_detail::*;
pub use tags::*;
pub use viewer::*;

/// Runs a server function's body for the session's caller. On error it
/// logs the whole error with the request id, withholds internal detail from
/// non-admins, and gives the response the error's own HTTP status (a 401 or
/// 404 is not reported as a generic 500).
#[cfg(feature = "ssr")]
pub(crate) async fn serve<T>(
    run: impl AsyncFnOnce(
        crate::server::state::AppState,
        crate::server::session::Caller,
    ) -> Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    let (result, admin) = match crate::server::session::from_context().await {
        Ok((state, caller)) => {
            let admin = caller.viewer.role == crate::model::Role::Admin;
            // The registry calls made for it carry this request's id.
            let id = caller.request.request_id.clone();
            // Layers are read at most so many at once per user.
            let user = caller.viewer.username.clone();
            // Boxed: a page's future is large, and debug builds copy it
            // on the stack at every wrapper.
            let run = crate::layers::reader::scope(user, Box::pin(run(state, caller)));
            (crate::registry::request_id::scope(id, run).await, admin)
        }
        Err(e) => (Err(e), false),
    };
    let Err(error) = result else {
        return result;
    };
    let request_id = crate::server::request_id::current();
    if error.status() >= 500 {
        tracing::warn!(%request_id, %error, "request failed");
    }
    let error = if admin {
        error
    } else {
        error.withheld(&request_id)
    };
    set_status(error.status());
    // In the reader's language: the browser that may show it has no
    // translations.
    Err(error.localized())
}

#[cfg(feature = "ssr")]
pub(crate) fn set_status(status: u16) {
    if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = axum::http::StatusCode::from_u16(status) {
            resp.set_status(code);
        }
    }
}
