use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagList;

/// Every tag of a repository with digest, size, date and platforms.
#[server(endpoint = "list_tags")]
pub async fn list_tags(repository: String) -> Result<TagList, AppError> {
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        crate::server::inventory::cached_tag_list(&state, &caller.credentials, &repository).await
    };
    crate::api::with_status(run.await)
}
