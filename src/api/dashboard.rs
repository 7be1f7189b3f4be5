use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Dashboard;

/// The landing page's summary: counts, the largest repositories and the
/// latest pushes, of what the caller may see.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::index::dashboard::dashboard(&state, &caller).await
    })
    .await
}
