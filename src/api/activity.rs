use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ActivityPage;

/// Recent registry events (push, pull, delete) in the repositories the
/// caller can list: of one action, of one repository (`repository`) or of
/// those whose name holds `contains`, by one registry user; cosign and
/// referrers tags only when `signatures` is true.
#[server(endpoint = "get_activity")]
pub async fn get_activity(
    action: Option<String>,
    repository: Option<String>,
    contains: Option<String>,
    user: Option<String>,
    signatures: Option<bool>,
    page: Option<usize>,
) -> Result<ActivityPage, AppError> {
    crate::api::serve(async move |state, caller| {
        // A repository's own activity is a short list under its tags.
        let per_page = if repository.is_some() {
            10
        } else {
            crate::server::activity::PER_PAGE
        };
        let filter = crate::server::activity::EventFilter {
            action: action.as_deref(),
            repository: repository.as_deref(),
            repository_contains: contains.as_deref(),
            user: user.as_deref(),
            signatures: signatures.unwrap_or(false),
        };
        crate::server::activity::page(&state, &caller, &filter, page.unwrap_or(1), per_page).await
    })
    .await
}
