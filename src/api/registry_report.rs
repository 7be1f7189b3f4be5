use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RegistryReport;

/// How the backing registry is set up (admins only): auth, delete, paging,
/// referrers and latency, found by harmless probes; and the registry
/// index's state.
#[server(endpoint = "get_registry_report")]
pub async fn get_registry_report() -> Result<RegistryReport, AppError> {
    crate::api::serve(async move |state, caller| {
        caller.require_admin()?;
        let mut report = crate::server::capabilities::report(&state, &caller.credentials).await;
        report.index = crate::index::status::of(&state, &caller.viewer.csrf).await;
        Ok(report)
    })
    .await
}
