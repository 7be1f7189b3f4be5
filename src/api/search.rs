use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SearchResults;

/// Tags across the registry matching `q` (names, digests, labels,
/// platforms, kinds), from the index, in repositories the caller may read.
#[server(endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::index::search::search(&state, &caller, &q).await
    })
    .await
}
