use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::retention::{run_kind, run_status, status_badge};
use crate::api::get_retention_run;
use crate::components::ErrorView;
use crate::format::short_digest;
use crate::i18n::Fmt;
use crate::model::retention::{Done, Plan, PolicyPlan, RepoPlan, RunView};
use crate::routes::href;
use crate::t;

/// `/admin/retention/runs/:id` (admins only): one run. While it runs the
/// page reloads itself every two seconds (no JavaScript needed) and shows
/// how far it got; then the plan per policy and repository, what went,
/// what failed, the JSON download, and for a dry run the apply form.
#[component]
pub fn RetentionRunPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let data = Resource::new(move || id, get_retention_run);
    view! {
        <Title text=t!("page-title", page = t!("retention-run-title", id = id))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")>
            <a href=href("/")>{t!("nav-repositories")}</a>" / "
            <a href=href("/admin/retention")>{t!("nav-retention")}</a>" / "
            <span>{t!("retention-run-title", id = id)}</span>
        </nav>
        <Suspense fallback=|| view! { <p class="loading">{t!("retention-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(view) => view! { <RunPage view/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RunPage(view: RunView) -> impl IntoView {
    let fmt = Fmt::current();
    let RunView {
        run,
        report,
        csrf,
        can_delete,
        outdated,
    } = view;
    let running = run.status == "running";
    let status_class = format!("badge {}", status_badge(&run.status));
    let policy = if run.policy.is_empty() {
        t!("retention-all-policies")
    } else {
        run.policy.clone()
    };
    let reviewable = can_delete
        && outdated.is_empty()
        && ((run.kind == "dry-run" && run.status == "done") || run.status == "stale");
    let progress = (running && run.kind == "apply" && run.total > 0).then(|| {
        let done = run.deleted + run.failed;
        view! {
            <p role="status" data-testid="run-progress">
                <progress value=done max=run.total></progress>" "
                {t!("retention-progress", done = done, total = run.total)}
            </p>
        }
    });
    view! {
        {running.then(|| view! { <Meta http_equiv="refresh" content="2"/> })}
        <h1>{t!("retention-run-title", id = run.id)}</h1>
        <dl class="facts" data-testid="run-facts" data-status=run.status.clone()>
            <dt>{t!("retention-col-policy")}</dt><dd>{policy}</dd>
            <dt>{t!("retention-col-kind")}</dt><dd>{run_kind(&run.kind, &run.cause)}</dd>
            <dt>{t!("col-user")}</dt><dd>{run.actor.clone()}</dd>
            <dt>{t!("retention-started")}</dt><dd>{fmt.instant(run.started_ms)}</dd>
            {run.finished_ms.map(|ms| view! { <dt>{t!("retention-finished")}</dt><dd>{fmt.instant(ms)}</dd> })}
            <dt>{t!("col-result")}</dt><dd><span class=status_class data-testid="run-status">{run_status(&run.status)}</span></dd>
        </dl>
        {running.then(|| view! { <p class="loading" role="status">{t!("retention-running-hint")}</p> })}
        {progress}
        {(run.status == "stale").then(|| view! {
            <p class="flash error" role="alert" data-testid="run-stale">{t!("retention-stale", reviewed = report.reviewed_hash.clone())}</p>
        })}
        {(!outdated.is_empty()).then(|| view! { <p class="flash warn" role="status" data-testid="run-outdated">{outdated.clone()}</p> })}
        {(run.status == "interrupted").then(|| view! { <p class="flash error" role="alert">{t!("retention-interrupted")}</p> })}
        {(!report.error.is_empty()).then(|| view! { <p class="flash error" role="alert" data-testid="run-error">{report.error.clone()}</p> })}
        {(!report.done.is_empty() || !report.skipped.is_empty()).then(|| view! {
            <Outcome done=report.done.clone() skipped=report.skipped.clone()/>
        })}
        {report.plan.map(|plan| view! {
            <PlanView plan run_id=run.id reviewable csrf=csrf.clone() policy=run.policy.clone()/>
        })}
    }
}

/// What an apply deleted, and what failed or was not attempted.
#[component]
fn Outcome(done: Vec<Done>, skipped: Vec<Done>) -> impl IntoView {
    let deleted = done.iter().filter(|d| d.error.is_empty()).count();
    view! {
        <h2>{t!("retention-outcome", deleted = deleted, total = done.len() + skipped.len())}</h2>
        <table class="retention-outcome" data-testid="run-outcome">
            <thead><tr><th>{t!("col-repository")}</th><th>{t!("col-digest")}</th><th>{t!("col-result")}</th></tr></thead>
            <tbody>
                {done.into_iter().map(|d| {
                    let ok = d.error.is_empty();
                    view! {
                        <tr data-result=if ok { "ok" } else { "failed" }>
                            <td>{d.repository}</td>
                            <td><code title=d.digest.clone()>{short_digest(&d.digest)}</code></td>
                            <td>{if ok { t!("audit-result-ok") } else { t!("retention-failed-because", why = d.error) }}</td>
                        </tr>
                    }
                }).collect_view()}
                {skipped.into_iter().map(|d| view! {
                    <tr data-result="skipped">
                        <td>{d.repository}</td>
                        <td><code title=d.digest.clone()>{short_digest(&d.digest)}</code></td>
                        <td>{t!("retention-skipped")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn PlanView(
    plan: Plan,
    run_id: i64,
    reviewable: bool,
    csrf: String,
    policy: String,
) -> impl IntoView {
    let fmt = Fmt::current();
    let manifests = plan.deletions().len();
    let tags = plan.tags_to_delete();
    let frees: Option<u64> = plan
        .policies
        .iter()
        .flat_map(|p| &p.repositories)
        .map(|r| r.frees_bytes)
        .sum();
    let summary = t!(
        "retention-plan-summary",
        tags = tags,
        manifests = manifests,
        frees = frees
            .map(|b| fmt.size(b))
            .unwrap_or_else(|| t!("retention-frees-unknown"))
    );
    let hash = plan.plan_hash.clone();
    view! {
        <h2>{t!("retention-plan")}</h2>
        <p data-testid="plan-summary">{summary}</p>
        <p class="hint">{t!("retention-plan-hash")}" "<code data-testid="plan-hash">{hash.clone()}</code>" · "
            <a href=href(&format!("/admin/retention/runs/{run_id}/plan.json")) download data-testid="plan-json">{t!("retention-download-json")}</a></p>
        {(reviewable && manifests > 0).then(|| view! {
            <form method="post" action=href("/actions/retention/run") class="apply-plan" data-testid="apply-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="hidden" name="policy" value=policy/>
                <input type="hidden" name="plan_hash" value=hash/>
                <input type="hidden" name="run" value=run_id.to_string()/>
                <p class="hint">{t!("retention-apply-hint")}</p>
                <button type="submit" class="danger" data-testid="apply">{t!("retention-apply", manifests = manifests)}</button>
            </form>
        })}
        {plan.policies.into_iter().map(|p| view! { <PolicyPlanView plan=p/> }).collect_view()}
    }
}

#[component]
fn PolicyPlanView(plan: PolicyPlan) -> impl IntoView {
    // Repositories where nothing goes are named, not tabled: over a whole
    // registry they are most of the plan (the JSON has their kept tags).
    let (busy, idle): (Vec<RepoPlan>, Vec<RepoPlan>) = plan
        .repositories
        .into_iter()
        .partition(|r| !r.delete.is_empty());
    let none = busy.is_empty() && idle.is_empty();
    view! {
        <section class="policy-plan" data-policy=plan.name.clone()>
            <h3>{t!("retention-policy-heading", name = plan.name.clone())}</h3>
            {plan.notes.into_iter().map(|n| view! { <p class="hint">{n}</p> }).collect_view()}
            {none.then(|| view! { <p class="empty">{t!("retention-no-repositories")}</p> })}
            {busy.into_iter().map(|r| view! { <RepoPlanView plan=r/> }).collect_view()}
            {(!idle.is_empty()).then(|| view! {
                <details data-testid="plan-untouched">
                    <summary>{t!("retention-untouched", n = idle.len())}</summary>
                    <p>{idle.iter().map(|r| r.repository.as_str()).collect::<Vec<_>>().join(", ")}</p>
                </details>
            })}
        </section>
    }
}

#[component]
fn RepoPlanView(plan: RepoPlan) -> impl IntoView {
    let fmt = Fmt::current();
    let frees = plan
        .frees_bytes
        .map(|b| fmt.size(b))
        .unwrap_or_else(|| t!("retention-frees-unknown"));
    let heading = t!(
        "retention-repo-summary",
        tags = plan.delete.len(),
        manifests = plan.digests.len(),
        kept = plan.keep.len(),
        frees = frees
    );
    let kept = plan.keep.len();
    view! {
        <div class="repo-plan" data-repository=plan.repository.clone()>
            <h4><a href=href(&crate::routes::repo_path(&plan.repository))>{plan.repository.clone()}</a></h4>
            <p>{heading}</p>
            {(!plan.delete.is_empty()).then(|| view! {
                <table class="plan-delete" data-testid="plan-delete">
                    <thead><tr><th>{t!("col-tag")}</th><th>{t!("col-digest")}</th><th>{t!("retention-col-reason")}</th></tr></thead>
                    <tbody>
                        {plan.delete.into_iter().map(|d| view! {
                            <tr data-tag=d.tag.clone()>
                                <td>{d.tag.clone()}</td>
                                <td><code title=d.digest.clone()>{short_digest(&d.digest)}</code></td>
                                <td>{d.reason}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(kept > 0).then(|| view! {
                <details>
                    <summary>{t!("retention-kept", n = kept)}</summary>
                    <table class="plan-keep" data-testid="plan-keep">
                        <thead><tr><th>{t!("col-tag")}</th><th>{t!("col-digest")}</th><th>{t!("retention-col-rule")}</th></tr></thead>
                        <tbody>
                            {plan.keep.into_iter().map(|k| view! {
                                <tr data-tag=k.tag.clone()>
                                    <td>{k.tag.clone()}</td>
                                    <td><code title=k.digest.clone()>{short_digest(&k.digest)}</code></td>
                                    <td>{k.rule}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            })}
        </div>
    }
}
