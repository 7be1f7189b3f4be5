use leptos::prelude::*;

use crate::error::AppError;
use crate::model::files::{FilesQuery, FilesView};

/// One image's files (`layer` set: one layer's), with one file opened when
/// `query.path` names it.
#[server(endpoint = "get_files")]
pub async fn get_files(
    repository: String,
    tag: String,
    query: FilesQuery,
) -> Result<FilesView, AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::image_files::files_view(
            &state,
            &caller.credentials,
            &repository,
            &tag,
            query,
        )
        .await
    })
    .await
}
