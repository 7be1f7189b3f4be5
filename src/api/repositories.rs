use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RepoList;

/// Every repository the caller can see (the whole catalog, all pages).
#[server(endpoint = "list_repositories")]
pub async fn list_repositories() -> Result<RepoList, AppError> {
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        let load = crate::server::inventory::repositories(state.registry(), &caller.credentials);
        let list = state
            .lists()
            .catalog(&caller.credentials.fingerprint(), load)
            .await?;
        Ok(RepoList::clone(&list))
    };
    crate::api::with_status(run.await)
}
