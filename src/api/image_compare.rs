use leptos::prelude::*;

use crate::error::AppError;
use crate::model::compare::{CompareQuery, CompareView};

/// Two tags compared (the pickers alone until both are given).
#[server(endpoint = "get_compare")]
pub async fn get_compare(repository: String, query: CompareQuery) -> Result<CompareView, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::image_compare::compare_view(&state, &caller.credentials, &repository, query)
            .await
    })
    .await
}
