//! One background task that keeps the database within its retention
//! settings: audit rows past `BERTH_AUDIT_DAYS`, registry events past
//! `BERTH_ACTIVITY_DAYS` (daily pull counts stay 400 days, for "last
//! pulled"). Runs at start, then hourly; a failure is logged and retried
//! at the next hour.

use std::time::Duration;

use super::state::AppState;

const DAY_MS: i64 = 86_400_000;

pub fn spawn(state: &AppState) -> tokio::task::JoinHandle<()> {
    let database = state.database().clone();
    let audit_days = i64::from(state.settings().audit_days);
    let activity_days = i64::from(state.settings().activity_days);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = super::clock::now_ms();
            match database.audit_prune(now - audit_days * DAY_MS).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, audit_days, "audit rows past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "deleting old audit rows failed"),
            }
            if let Err(e) = database
                .prune_events(now - activity_days * DAY_MS, 400, now)
                .await
            {
                tracing::warn!(error = %e, "deleting old registry events failed");
            }
        }
    })
}
