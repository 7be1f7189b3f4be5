use leptos::prelude::*;

use crate::error::AppError;
use crate::model::retention::{RetentionPage, RunView};

/// `/admin/retention` (admins only): the policies, recent runs, and the
/// form, filled with the policy `edit` names or the draft a failed save
/// left.
#[server(endpoint = "get_retention")]
pub async fn get_retention(edit: Option<String>) -> Result<RetentionPage, AppError> {
    crate::api::serve(async move |state, caller| {
        let session: tower_sessions::Session = leptos_axum::extract()
            .await
            .map_err(|e| AppError::Internal(format!("session unavailable: {e}")))?;
        let draft = crate::server::retention_admin::take_draft(&session).await;
        crate::server::retention_admin::page(&state, &caller, edit, draft).await
    })
    .await
}

/// One retention run and its report (admins only).
#[server(endpoint = "get_retention_run")]
pub async fn get_retention_run(id: i64) -> Result<RunView, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::retention_admin::run_view(&state, &caller, id).await
    })
    .await
}
