//! Health for orchestrators: `/healthz` says the process answers (liveness,
//! needs nothing), `/readyz` says it can serve pages: the registry answers
//! `GET /v2/` like a registry and the database answers a query. Neither needs
//! a login, so neither says more than which part failed and how.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::state::AppState;
use crate::registry::RegistryError;

/// How long each check may take before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn healthz() -> &'static str {
    "ok"
}

async fn registry_check(state: &AppState) -> Result<(), String> {
    match tokio::time::timeout(CHECK_TIMEOUT, state.registry().probe()).await {
        Err(_) => Err("no answer within 3 s".into()),
        // 200, or 401 with a challenge: a registry either way.
        Ok(Ok(p)) if p.status == 200 || p.status == 401 => Ok(()),
        Ok(Ok(p)) => Err(format!("GET /v2/ answered {}", p.status)),
        Ok(Err(RegistryError::NotV2 { .. })) => Err("not a Registry API v2 server".into()),
        Ok(Err(RegistryError::Unreachable { .. })) => Err("unreachable".into()),
        Ok(Err(_)) => Err("unexpected answer".into()),
    }
}

async fn database_check(state: &AppState) -> Result<(), String> {
    match tokio::time::timeout(CHECK_TIMEOUT, state.database().ping()).await {
        Err(_) => Err("no answer within 3 s".into()),
        Ok(r) => r.map_err(|e| {
            tracing::warn!(error = %e, "readiness: database check failed");
            "query failed".to_string()
        }),
    }
}

/// 200 `{"status":"ready",…}` or 503 `{"status":"unavailable",…}` naming
/// the failing part.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (registry, database) = tokio::join!(registry_check(&state), database_check(&state));
    let word = |r: &Result<(), String>| match r {
        Ok(()) => "ok".to_string(),
        Err(e) => e.clone(),
    };
    let ready = registry.is_ok() && database.is_ok();
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "unavailable" },
        "registry": word(&registry),
        "database": word(&database),
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}
