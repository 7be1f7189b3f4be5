//! Server functions: thin adapters that take the session, call the
//! inventory or deletion service, and return data or an `AppError`.

mod delete_manifest;
mod delete_plan;
mod registry_report;
mod repositories;
mod tag_detail;
mod tags;
mod viewer;

pub use delete_manifest::*;
pub use delete_plan::*;
pub use registry_report::*;
pub use repositories::*;
pub use tag_detail::*;
pub use tags::*;
pub use viewer::*;

/// Gives a server function's error response the error's own HTTP status,
/// so a 401 or 404 is not reported as a generic 500.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(code) = axum::http::StatusCode::from_u16(e.status()) {
                resp.set_status(code);
            }
        }
    }
    result
}
