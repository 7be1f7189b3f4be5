use leptos::prelude::*;

use crate::error::AppError;

/// Deletes one confirmed digest; the delete page calls it once per digest
/// to show progress. Refused without the admin role and the CSRF token.
#[server(endpoint = "delete_manifest")]
pub async fn delete_manifest(
    repository: String,
    digest: String,
    csrf: String,
) -> Result<(), AppError> {
    crate::api::serve(async move |state, caller| {
        crate::server::deletion::delete_confirmed(&state, &caller, &repository, &digest, &csrf)
            .await
    })
    .await
}
