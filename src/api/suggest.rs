use leptos::prelude::*;

use crate::error::AppError;

/// The first matches of `q`, for the search box's list (the results page
/// has the rest): repositories by name first (`repository`), then tags
/// (`repository:tag`). Plain strings keep the browser bundle small: the
/// box needs no result types.
#[server(endpoint = "suggest")]
pub async fn suggest(q: String) -> Result<Vec<String>, AppError> {
    crate::api::serve(async move |state, caller| {
        let found = crate::index::search::search(&state, &caller, &q).await?;
        let repositories = found
            .repositories
            .into_iter()
            .take(crate::model::SUGGESTIONS / 2);
        let tags = found.groups.into_iter().flat_map(|g| {
            let repo = g.repository;
            g.hits.into_iter().map(move |h| format!("{repo}:{}", h.tag))
        });
        Ok(repositories
            .chain(tags)
            .take(crate::model::SUGGESTIONS)
            .collect())
    })
    .await
}
