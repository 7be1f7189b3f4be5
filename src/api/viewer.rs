use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Viewer;

/// Who is logged in, with their role.
#[server(endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    // No status change: pages without a session (the login form) still
    // render, with an empty header.
    let (_, caller) = crate::server::session::from_context().await?;
    Ok(caller.viewer)
}
