//! `berth retention run [--policy NAME] [--apply] [--plan-hash HASH] [--json]`:
//! the same planner, apply and audit log as the UI, for cron and CI. A dry
//! run is the default; `--apply` deletes only if the registry still gives
//! the plan just printed, or with `--plan-hash`, the plan reviewed earlier.
//! Exit codes: 0 done, 1 a failure, 2 bad settings, 3 the plan went stale.

use super::apply::{self, Actor, Outcome};
use super::plan::Plan;
use super::policy::Policy;
use crate::server::config::Settings;
use crate::server::state::AppState;

#[derive(Debug, Clone, Default)]
pub struct RunArgs {
    pub policy: Option<String>,
    pub apply: bool,
    pub plan_hash: Option<String>,
    pub json: bool,
}

/// Runs the command; returns the exit code.
pub async fn run(settings: Settings, args: RunArgs) -> i32 {
    match run_inner(settings, &args).await {
        Ok(code) => code,
        Err(line) => {
            eprintln!("berth retention: {line}");
            1
        }
    }
}

async fn run_inner(settings: Settings, args: &RunArgs) -> Result<i32, String> {
    let database = crate::store::Database::connect(&settings.database_url)
        .await
        .map_err(|e| format!("BERTH_DATABASE_URL (--database-url): {e}"))?;
    database.migrate().await?;
    database.check_key(&settings.secret_key).await?;
    if args.apply && settings.read_only {
        return Err(
            "BERTH_READ_ONLY is set: nothing may be deleted (a dry run still works)".into(),
        );
    }
    let options = crate::server::router::leptos_options(&settings);
    let state = AppState::new(settings, options, database)?;
    // The file's policies and those written in the admin form.
    let policies = super::load::all(&state).await?;
    if policies.is_empty() {
        return Err("no policies: write one at /admin/retention, or set BERTH_RETENTION_FILE to a file of [[policy]] tables".into());
    }
    if let Some(name) = &args.policy {
        if !policies.iter().any(|p| p.name() == name) {
            return Err(format!("no policy is called \"{name}\""));
        }
    }
    let Some(creds) = state.indexer().credentials().cloned() else {
        return Err(super::runs::NO_ACCOUNT.into());
    };
    // What a delete frees is counted from the index: read the whole
    // registry into it first unless a sync finished within its interval.
    let now_ms = crate::server::clock::now_ms();
    let last = state
        .database()
        .index_recent_syncs(1)
        .await
        .ok()
        .and_then(|r| r.into_iter().next())
        .filter(|r| r.error.is_empty());
    let interval_ms = i64::try_from(state.indexer().interval().as_millis()).unwrap_or(i64::MAX);
    if last.is_none_or(|r| interval_ms == 0 || now_ms - r.finished_ms > interval_ms) {
        eprintln!("berth retention: reading the registry into the index first");
        let _ = state.indexer().sync_all().await;
    }
    let plan = super::run::plan(&state, &creds, &policies, args.policy.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    if args.json && !args.apply {
        println!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("a plan serializes")
        );
        return Ok(0);
    }
    if !args.json {
        print!("{}", describe(&plan, &policies));
    }
    if !args.apply {
        if !args.json {
            println!("Dry run: nothing was deleted. Run again with --apply (or --apply --plan-hash {}) to delete.", plan.plan_hash);
        }
        return Ok(0);
    }
    let reviewed = args
        .plan_hash
        .clone()
        .unwrap_or_else(|| plan.plan_hash.clone());
    // Made again now: apply compares it with the plan reviewed.
    let fresh = super::run::plan(&state, &creds, &policies, args.policy.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    let actor = Actor {
        username: "berth retention (command line)".into(),
        client_ip: String::new(),
        request_id: format!("retention-{}", chrono::Utc::now().timestamp_millis()),
    };
    let json = args.json;
    let outcome = apply::apply(
        &state,
        &creds,
        &actor,
        &fresh,
        &reviewed,
        |done: &apply::Done| {
            if !json {
                match done.error.as_str() {
                    "" => println!(
                        "deleted {}@{} ({})",
                        done.repository, done.digest, done.policy
                    ),
                    e => println!(
                        "FAILED {}@{} ({}): {e}",
                        done.repository, done.digest, done.policy
                    ),
                }
            }
            Box::pin(async {})
        },
    )
    .await;
    match outcome {
        Err(stale) => {
            eprintln!("berth retention: {stale}");
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&fresh).expect("a plan serializes")
                );
            } else {
                print!("{}", describe(&fresh, &policies));
            }
            Ok(3)
        }
        Ok(outcome) => {
            report(&outcome, &fresh, json);
            Ok(if outcome.failed() { 1 } else { 0 })
        }
    }
}

fn report(outcome: &Outcome, plan: &Plan, json: bool) {
    if json {
        let both = serde_json::json!({ "plan": plan, "outcome": outcome });
        println!(
            "{}",
            serde_json::to_string_pretty(&both).expect("serializes")
        );
        return;
    }
    for s in &outcome.skipped {
        println!(
            "not attempted after a failure in {}: {}",
            s.repository, s.digest
        );
    }
    println!(
        "{} of {} manifests deleted{}.",
        outcome.deleted(),
        plan.deletions().len(),
        if outcome.failed() {
            "; see the failures above"
        } else {
            ""
        }
    );
}

/// The plan in words, per policy and repository.
pub fn describe(plan: &Plan, policies: &[Policy]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for p in &plan.policies {
        let from = policies
            .iter()
            .find(|q| q.name() == p.name)
            .map(|q| q.spec.repositories.as_str())
            .unwrap_or_default();
        let _ = writeln!(out, "Policy \"{}\" (repositories {from}):", p.name);
        for note in &p.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if p.repositories.is_empty() {
            let _ = writeln!(out, "  no repository matches");
        }
        for r in &p.repositories {
            let frees = r
                .frees_bytes
                .map(|b| format!("garbage-collect would then free {}", crate::format::size(b)))
                .unwrap_or_else(|| "what garbage-collect would free is not known".into());
            let _ = writeln!(
                out,
                "  {}: delete {} tags ({} manifests), keep {}; {frees}",
                r.repository,
                r.delete.len(),
                r.digests.len(),
                r.keep.len()
            );
            for d in &r.delete {
                let _ = writeln!(out, "    - {} {}: {}", d.tag, short(&d.digest), d.reason);
            }
            for k in &r.keep {
                let _ = writeln!(out, "    + {} {}: {}", k.tag, short(&k.digest), k.rule);
            }
        }
    }
    let _ = writeln!(
        out,
        "{} tags, {} manifests to delete. Plan hash {}",
        plan.tags_to_delete(),
        plan.deletions().len(),
        plan.plan_hash
    );
    out
}

fn short(digest: &str) -> &str {
    digest.get(..19).unwrap_or(digest)
}
