//! Scheduled runs. Every few seconds each replica looks for a policy whose
//! scheduled time has come and claims that time in the database (a row
//! with a unique name for the policy and time: a lease on that one run).
//! The replica whose claim lands runs and applies it; the others find it
//! taken. A scheduled run applies the plan it makes, and keeps its report
//! like any run.

use std::collections::HashMap;
use std::time::Duration;

use super::apply::Actor;
use super::runs::{self, Kind, Run};
use crate::server::state::AppState;

/// How often a replica looks; a run starts at most this late.
const TICK: Duration = Duration::from_secs(5);

pub fn spawn(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        // The last time seen per policy: asked for once, not every tick.
        let mut seen: HashMap<String, i64> = HashMap::new();
        loop {
            tick.tick().await;
            run_due(&state, &mut seen).await;
        }
    });
}

async fn run_due(state: &AppState, seen: &mut HashMap<String, i64>) {
    // Read-only refuses every delete, scheduled ones too.
    if state.settings().read_only {
        return;
    }
    let now = crate::server::clock::now_ms();
    let mut due = Vec::new();
    // A file policy runs any time within the grace; a stored one none from
    // before it was saved.
    match super::load::file_policies(state.settings().retention_file.as_deref()) {
        Ok(file) => due.extend(file.into_iter().map(|p| (p, 0))),
        Err(e) => tracing::warn!(error = %e, "scheduled retention: the policy file does not read"),
    }
    match super::load::stored_policies(state).await {
        Ok(stored) => due.extend(stored.into_iter().map(|(p, at, _)| (p, at))),
        Err(e) => tracing::warn!(error = %e, "scheduled retention: stored policies do not read"),
    }
    for (policy, after) in due {
        let Some(slot) = policy
            .schedule()
            .and_then(|c| super::schedule::due(c, now, after))
        else {
            continue;
        };
        let name = policy.name().to_string();
        if seen.get(&name) == Some(&slot) {
            continue;
        }
        seen.insert(name.clone(), slot);
        let run = Run {
            policy: Some(name.clone()),
            kind: Kind::Apply { reviewed: None },
            cause: "schedule",
            claim: Some(format!("{name}@{slot}")),
            actor: Actor {
                username: "berth retention (schedule)".into(),
                client_ip: String::new(),
                request_id: format!("retention-{name}-{slot}"),
            },
        };
        let id = match runs::begin(state, &run).await {
            Ok(Some(id)) => id,
            // Another replica claimed it.
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, policy = %name, "scheduled retention: could not claim a run");
                continue;
            }
        };
        tracing::info!(policy = %name, id, "scheduled retention run");
        match state.indexer().credentials().cloned() {
            Some(creds) => runs::execute(state, &creds, id, &run).await,
            None => runs::fail(state, id, runs::NO_ACCOUNT).await,
        }
    }
}
