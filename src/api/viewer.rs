use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Viewer;

/// Who is logged in, with their role.
#[server(endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    match crate::server::session::from_context().await {
        Ok((_, caller)) => Ok(caller.viewer),
        Err(e) => {
            // Called over HTTP, a missing session is a 401. Called while
            // rendering a page without a session (the login form), the page
            // keeps its own status and renders with an empty header.
            let own_request = use_context::<axum::http::request::Parts>()
                .is_some_and(|p| p.uri.path().starts_with("/api/"));
            if own_request {
                crate::api::set_status(e.status());
            }
            Err(e)
        }
    }
}
