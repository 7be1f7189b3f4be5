use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_retention;
use crate::components::ErrorView;
use crate::i18n::Fmt;
use crate::model::retention::{PolicyForm, PolicyRow, RetentionPage, RunRow};
use crate::routes::href;
use crate::t;

/// `/admin/retention` (admins only): the policies from the file
/// (read-only) and the database, a dry run for each, recent runs, and the
/// form that writes a policy. Every action is a plain form.
#[component]
pub fn RetentionPage() -> impl IntoView {
    let q = use_query_map().get_untracked();
    let edit = q.get("edit");
    let saved = q.get("saved");
    let removed = q.get("removed").is_some();
    let data = Resource::new(move || edit.clone(), get_retention);
    view! {
        <Title text=t!("page-title", page = t!("nav-retention"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("nav-retention")}</span></nav>
        <h1>{t!("retention-title")}</h1>
        {saved.map(|name| view! { <p class="flash ok" role="status" data-testid="retention-saved">{t!("retention-saved", name = name)}</p> })}
        {removed.then(|| view! { <p class="flash ok" role="status">{t!("retention-removed")}</p> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("retention-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! { <Retention page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Retention(page: RetentionPage) -> impl IntoView {
    let csrf = page.csrf.clone();
    let protected = if page.protected.is_empty() {
        t!("retention-protected-none")
    } else {
        t!("retention-protected", globs = page.protected.join(", "))
    };
    let any = !page.policies.is_empty();
    view! {
        <p class="hint">{t!("retention-intro")}</p>
        <p class="hint" data-testid="retention-protected">{protected}</p>
        {(!page.pulls_seen).then(|| view! { <p class="hint">{t!("retention-no-pulls")}</p> })}
        {page.read_only.then(|| view! { <p class="flash warn" role="status">{t!("retention-read-only")}</p> })}
        {(!page.file.is_empty()).then(|| view! { <p class="hint">{t!("retention-file", path = page.file.clone())}</p> })}
        {(!page.file_error.is_empty()).then(|| view! { <p class="flash error" role="alert">{page.file_error.clone()}</p> })}
        <h2>{t!("retention-policies")}</h2>
        {if any {
            view! { <PolicyTable rows=page.policies csrf=csrf.clone()/> }.into_any()
        } else {
            view! { <p class="empty" data-testid="retention-empty">{t!("retention-none")}</p> }.into_any()
        }}
        {any.then(|| view! {
            <form method="post" action=href("/actions/retention/run") class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <button type="submit" data-testid="dry-run-all">{t!("retention-dry-run-all")}</button>
            </form>
        })}
        <PolicyFormView form=page.form error=page.form_error csrf=csrf.clone()/>
        <h2>{t!("retention-runs")}</h2>
        <RunTable runs=page.runs/>
    }
}

#[component]
fn PolicyTable(rows: Vec<PolicyRow>, csrf: String) -> impl IntoView {
    let fmt = Fmt::current();
    view! {
        <table class="retention-policies" data-testid="policy-table">
            <thead><tr>
                <th>{t!("col-name")}</th><th>{t!("retention-col-repositories")}</th><th>{t!("col-tags")}</th>
                <th>{t!("retention-col-rules")}</th><th>{t!("retention-col-schedule")}</th><th>{t!("col-actions")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let stored = p.source == "database";
                    let name = p.name.clone();
                    let csrf = csrf.clone();
                    let source = if stored { t!("retention-source-database") } else { t!("retention-source-file") };
                    let schedule = if p.schedule.is_empty() {
                        t!("retention-schedule-off")
                    } else {
                        match p.next_run_ms {
                            Some(ms) => t!("retention-schedule-next", cron = p.schedule.clone(), next = fmt.instant(ms)),
                            None => p.schedule.clone(),
                        }
                    };
                    view! {
                        <tr data-policy=name.clone()>
                            <td><strong>{name.clone()}</strong>" "<span class="badge">{source}</span>
                                {(!p.updated.is_empty()).then(|| view! { <br/><small class="detail">{p.updated.clone()}</small> })}</td>
                            <td><code>{p.repositories}</code></td>
                            <td>{if p.tags.is_empty() { t!("retention-tags-all") } else { p.tags }}</td>
                            <td><ul class="rules">{p.rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul></td>
                            <td>{schedule}</td>
                            <td class="actions">
                                <form method="post" action=href("/actions/retention/run") class="inline">
                                    <input type="hidden" name="csrf" value=csrf.clone()/>
                                    <input type="hidden" name="policy" value=name.clone()/>
                                    <button type="submit" data-testid="dry-run">{t!("retention-dry-run")}</button>
                                </form>
                                {stored.then(|| view! {
                                    <a href=href(&format!("/admin/retention?edit={}#policy-form", crate::routes::encode(&name)))>{t!("retention-edit")}</a>
                                    // Asks first, with or without JavaScript: the
                                    // button only opens the confirmation.
                                    <details class="confirm-delete" data-testid="delete-policy">
                                        <summary class="button">{t!("retention-delete-policy")}</summary>
                                        <form method="post" action=href("/actions/retention/delete-policy")>
                                            <p>{t!("retention-delete-confirm", name = name.clone())}</p>
                                            <input type="hidden" name="csrf" value=csrf.clone()/>
                                            <input type="hidden" name="name" value=name.clone()/>
                                            <input type="hidden" name="confirm" value="yes"/>
                                            <button type="submit" class="danger" data-testid="delete-policy-confirm">{t!("retention-delete-policy-named", name = name.clone())}</button>
                                        </form>
                                    </details>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The policy form: a new policy, or the one being edited.
#[component]
fn PolicyFormView(form: PolicyForm, error: String, csrf: String) -> impl IntoView {
    let editing = !form.original.is_empty();
    let heading = if editing {
        t!("retention-form-edit", name = form.original.clone())
    } else {
        t!("retention-form-new")
    };
    let regex = form.tags_kind == "regex";
    view! {
        <section id="policy-form" class="policy-form">
            <h2>{heading}</h2>
            {(!error.is_empty()).then(|| view! { <p class="flash error" role="alert" data-testid="retention-form-error">{error}</p> })}
            <form method="post" action=href("/actions/retention/policy" ) data-testid="policy-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="hidden" name="original" value=form.original.clone()/>
                <label>{t!("col-name")}" "<input type="text" name="name" required maxlength="64" pattern="[A-Za-z0-9._\\-]+" value=form.name/></label>
                <label>{t!("retention-col-repositories")}" "<input type="text" name="repositories" required placeholder="team-a/**" aria-describedby="hint-repositories" value=form.repositories/></label>
                <small class="hint" id="hint-repositories">{t!("retention-hint-repositories")}</small>
                <fieldset>
                    <legend>{t!("retention-tag-filter")}</legend>
                    <label>{t!("col-tags")}" "<input type="text" name="tags" placeholder="main-*" value=form.tags/></label>
                    <label><input type="radio" name="tags_kind" value="glob" checked=!regex/>" "{t!("retention-glob")}</label>
                    <label><input type="radio" name="tags_kind" value="regex" checked=regex/>" "{t!("retention-regex")}</label>
                    <label><input type="checkbox" name="tags_exclude" checked=form.tags_exclude/>" "{t!("retention-exclude")}</label>
                </fieldset>
                <fieldset>
                    <legend>{t!("retention-keep-rules")}</legend>
                    <label>{t!("retention-keep-last")}" "<input type="number" min="1" max="100000" name="keep_last" value=form.keep_last/></label>
                    <label>{t!("retention-keep-versions")}" "<input type="number" min="1" max="100000" name="keep_versions" value=form.keep_versions/></label>
                    <label>{t!("retention-keep-days")}" "<input type="number" min="1" max="100000" name="keep_days" value=form.keep_days/></label>
                    <label>{t!("retention-keep-pulled-days")}" "<input type="number" min="1" max="100000" name="keep_pulled_days" value=form.keep_pulled_days/></label>
                    <label>{t!("retention-keep-globs")}" "<input type="text" name="keep" placeholder="v*, stable" value=form.keep/></label>
                </fieldset>
                <label>{t!("retention-col-schedule")}" "<input type="text" name="schedule" placeholder="0 3 * * *" aria-describedby="hint-schedule" value=form.schedule/></label>
                <small class="hint" id="hint-schedule">{t!("retention-hint-schedule")}</small>
                <p>
                    <button type="submit" data-testid="save-policy">{t!("retention-save")}</button>
                    {editing.then(|| view! { " "<a href=href("/admin/retention")>{t!("retention-cancel")}</a> })}
                </p>
            </form>
        </section>
    }
}

/// A run's status in words.
pub fn run_status(status: &str) -> String {
    match status {
        "running" => t!("retention-status-running"),
        "done" => t!("retention-status-done"),
        "failed" => t!("retention-status-failed"),
        "stale" => t!("retention-status-stale"),
        "interrupted" => t!("retention-status-interrupted"),
        other => other.to_string(),
    }
}

/// The badge a run's status wears (the capability page's colours).
pub fn status_badge(status: &str) -> &'static str {
    match status {
        "done" => "verdict-yes",
        "running" => "verdict-unknown",
        _ => "verdict-no",
    }
}

pub fn run_kind(kind: &str, cause: &str) -> String {
    match (kind, cause) {
        ("dry-run", _) => t!("retention-kind-dry-run"),
        (_, "schedule") => t!("retention-kind-scheduled"),
        _ => t!("retention-kind-apply"),
    }
}

#[component]
fn RunTable(runs: Vec<RunRow>) -> impl IntoView {
    if runs.is_empty() {
        return view! { <p class="empty">{t!("retention-no-runs")}</p> }.into_any();
    }
    let fmt = Fmt::current();
    view! {
        <table class="retention-runs" data-testid="run-table">
            <thead><tr>
                <th>"#"</th><th>{t!("col-time")}</th><th>{t!("retention-col-policy")}</th><th>{t!("retention-col-kind")}</th>
                <th>{t!("col-user")}</th><th>{t!("col-result")}</th><th>{t!("retention-col-deleted")}</th>
            </tr></thead>
            <tbody>
                {runs.into_iter().map(|r| {
                    let status_class = format!("badge {}", status_badge(&r.status));
                    view! {
                        <tr data-run=r.id data-status=r.status.clone() data-cause=r.cause.clone()>
                            <td><a href=href(&format!("/admin/retention/runs/{}", r.id))>{r.id}</a></td>
                            <td class="when">{fmt.instant(r.started_ms)}</td>
                            <td>{if r.policy.is_empty() { t!("retention-all-policies") } else { r.policy.clone() }}</td>
                            <td>{run_kind(&r.kind, &r.cause)}</td>
                            <td>{r.actor.clone()}</td>
                            <td><span class=status_class>{run_status(&r.status)}</span></td>
                            <td>{if r.kind == "dry-run" { t!("retention-would-delete", n = r.total) } else { format!("{} / {}", r.deleted, r.total) }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
