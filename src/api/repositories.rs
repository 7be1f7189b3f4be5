use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RepoList;

/// Every repository the caller can see (the whole catalog, all pages).
#[server(endpoint = "list_repositories")]
pub async fn list_repositories() -> Result<RepoList, AppError> {
    crate::api::serve(async move |state, caller| {
        let (reg, who) = (state.registry().clone(), caller.credentials.clone());
        let load = async move { crate::server::inventory::repositories(&reg, &who).await };
        let list = state
            .lists()
            .catalog(&caller.credentials.fingerprint(), load)
            .await?;
        Ok(RepoList::clone(&list))
    })
    .await
}
