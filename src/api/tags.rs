use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagList;

/// Every tag of a repository with digest, size, date and platforms.
#[server(endpoint = "list_tags")]
pub async fn list_tags(repository: String) -> Result<TagList, AppError> {
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        let host = state.settings().public_host.clone();
        crate::server::inventory::tag_list(
            state.registry(),
            &caller.credentials,
            &repository,
            &host,
        )
        .await
    };
    crate::api::with_status(run.await)
}
