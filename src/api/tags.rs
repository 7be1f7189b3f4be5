use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagList;

/// Every tag of a repository with digest, size, date and platforms.
#[server(endpoint = "list_tags")]
pub async fn list_tags(repository: String) -> Result<TagList, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::inventory::cached_tag_list(&state, &caller.credentials, &repository).await
    })
    .await
}
