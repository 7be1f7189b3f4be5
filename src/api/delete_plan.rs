use leptos::prelude::*;

use crate::error::AppError;
use crate::model::DeletePlan;

/// What deleting the comma-separated `tags` would remove, siblings included.
/// Only admins may ask: a viewer has nothing to plan.
#[server(endpoint = "plan_delete")]
pub async fn plan_delete(repository: String, tags: String) -> Result<DeletePlan, AppError> {
    crate::api::serve(async move |state, caller| {
        caller.require_delete()?;
        let chosen: Vec<String> = tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        crate::server::delete_plan::delete_plan(&state, &caller.credentials, &repository, &chosen)
            .await
    })
    .await
}
