use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ActivityPage;

/// Recent registry events (push, pull, delete) in the repositories the
/// caller can list; of one action and one repository when given.
#[server(endpoint = "get_activity")]
pub async fn get_activity(
    action: Option<String>,
    repository: Option<String>,
    page: Option<usize>,
) -> Result<ActivityPage, AppError> {
    crate::api::serve(async move |state, caller| {
        // A repository's own activity is a short list under its tags.
        let per_page = if repository.is_some() {
            10
        } else {
            crate::server::activity::PER_PAGE
        };
        crate::server::activity::page(
            &state,
            &caller,
            action.as_deref(),
            repository.as_deref(),
            page.unwrap_or(1),
            per_page,
        )
        .await
    })
    .await
}
