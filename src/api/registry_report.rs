use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RegistryReport;

/// How the backing registry is set up (admins only): auth, delete, paging,
/// referrers and latency, found by harmless probes.
#[server(endpoint = "get_registry_report")]
pub async fn get_registry_report() -> Result<RegistryReport, AppError> {
    let run = async {
        let (state, caller) = crate::server::session::from_context().await?;
        caller.require_admin()?;
        Ok(crate::server::capabilities::report(&state, &caller.credentials).await)
    };
    crate::api::with_status(run.await)
}
