use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Viewer;

/// Who is logged in, with their role.
#[server]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    let run = async {
        let (_, caller) = crate::server::session::from_context().await?;
        Ok(caller.viewer)
    };
    crate::api::with_status(run.await)
}
