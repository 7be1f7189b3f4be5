use leptos::prelude::*;

use crate::error::AppError;

/// The first matches of `q` as `repository:tag`, for the search box's list
/// (the results page has the rest). Plain strings keep the browser bundle
/// small: the box needs no result types.
#[server(endpoint = "suggest")]
pub async fn suggest(q: String) -> Result<Vec<String>, AppError> {
    crate::api::serve(async move |state, caller| {
        let found = crate::index::search::search(&state, &caller, &q).await?;
        Ok(found
            .groups
            .into_iter()
            .flat_map(|g| {
                let repo = g.repository;
                g.hits.into_iter().map(move |h| format!("{repo}:{}", h.tag))
            })
            .take(crate::model::SUGGESTIONS)
            .collect())
    })
    .await
}
