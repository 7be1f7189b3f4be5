use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagDetail;

/// One tag in full: manifest, platforms, config, layers and history.
#[server(endpoint = "get_tag")]
pub async fn get_tag(repository: String, tag: String) -> Result<TagDetail, AppError> {
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        crate::server::tag_detail::tag_detail(&state, &caller.credentials, &repository, &tag).await
    };
    crate::api::with_status(run.await)
}
