use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TagDetail;

/// One tag in full: manifest, platforms, config, layers and history.
#[server(endpoint = "get_tag")]
pub async fn get_tag(repository: String, tag: String) -> Result<TagDetail, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::tag_detail::tag_detail(&state, &caller.credentials, &repository, &tag).await
    })
    .await
}
