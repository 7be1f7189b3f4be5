use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagPage;

/// One page of a repository's tags (digest, size, date, platforms),
/// sorted by `sort` (name, version, date) over the whole list; cosign-style
/// tags only with `signatures`. Pages hold `BERTH_MAX_ROWS` rows. With
/// `refresh`, the tags are checked with the registry before the page is made.
#[server(endpoint = "list_tags")]
pub async fn list_tags(
    repository: String,
    sort: Option<String>,
    signatures: Option<bool>,
    page: Option<usize>,
    refresh: Option<bool>,
) -> Result<TagPage, AppError> {
    crate::api::serve(async move |state, caller| {
        let query = crate::server::table_pages::TagQuery {
            sort: crate::sort::TagSort::from_query(sort.as_deref()),
            signatures: signatures.unwrap_or(false),
            page: page.unwrap_or(1),
        };
        if refresh == Some(true) {
            // Boxed: the check is a deep future of its own.
            Box::pin(crate::index::pages::refresh(
                &state,
                &caller.credentials,
                &repository,
            ))
            .await?;
        }
        crate::server::inventory::tag_page(&state, &caller.credentials, &repository, query).await
    })
    .await
}
