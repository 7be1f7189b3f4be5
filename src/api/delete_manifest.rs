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
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        crate::server::deletion::delete_confirmed(&state, &caller, &repository, &digest, &csrf)
            .await
    };
    crate::api::with_status(run.await)
}
