use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RepoPage;

/// The repositories the caller can see (the whole catalog, all pages of
/// it), filtered by `filter` and cut to pages of `BERTH_MAX_ROWS`.
#[server(endpoint = "list_repositories")]
pub async fn list_repositories(
    filter: Option<String>,
    page: Option<usize>,
) -> Result<RepoPage, AppError> {
    crate::api::serve(async move |state, caller| {
        let list = crate::server::inventory::catalog(&state, &caller.credentials).await?;
        Ok(crate::server::table_pages::repo_page(
            &list,
            filter.as_deref().unwrap_or(""),
            page.unwrap_or(1),
            state.settings().max_rows,
        ))
    })
    .await
}
