use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AuditPage;

/// One page of the audit log (admins only), newest first. Empty filter
/// fields match anything; days are `YYYY-MM-DD`, both included.
#[server(endpoint = "get_audit_log")]
pub async fn get_audit_log(
    user: Option<String>,
    repository: Option<String>,
    action: Option<String>,
    since: Option<String>,
    until: Option<String>,
    page: Option<usize>,
) -> Result<AuditPage, AppError> {
    crate::api::serve(async move |state, caller| {
        caller.require_admin()?;
        let filter = crate::model::AuditFilter {
            user: user.unwrap_or_default(),
            repository: repository.unwrap_or_default(),
            action: action.unwrap_or_default(),
            since: since.unwrap_or_default(),
            until: until.unwrap_or_default(),
        };
        crate::server::audit_pages::page(&state, &filter, page.unwrap_or(1)).await
    })
    .await
}
