use leptos::prelude::*;

use crate::error::AppError;
use crate::model::StorageReport;

/// Where the registry's disk space goes, from the index: every repository
/// for admins, the caller's own for everyone else.
#[server(endpoint = "storage")]
pub async fn storage() -> Result<StorageReport, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::index::storage::report(&state, &caller).await
    })
    .await
}
