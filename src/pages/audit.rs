use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_audit_log;
use crate::components::{ErrorView, Pager};
use crate::model::{AuditFilter, AuditRow};
use crate::paging::page_from_query;
use crate::routes::encode;
use crate::t;

/// The filter as query parameters (without `page`), for the pager and the
/// export links.
fn query_string(f: &AuditFilter) -> String {
    [
        ("user", &f.user),
        ("repository", &f.repository),
        ("action", &f.action),
        ("since", &f.since),
        ("until", &f.until),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// `/admin/audit`: who logged in, logged out, deleted and removed tags,
/// newest first, filtered by a GET form (works without JavaScript), paged,
/// and exported as CSV or JSON lines with the same filter.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        AuditFilter {
            user: get("user"),
            repository: get("repository"),
            action: get("action"),
            since: get("since"),
            until: get("until"),
        }
    });
    let page = Memo::new(move |_| page_from_query(query.read().get("page").as_deref()));
    let data = Resource::new(
        move || (filter.get(), page.get()),
        |(f, page)| {
            get_audit_log(
                Some(f.user),
                Some(f.repository),
                Some(f.action),
                Some(f.since),
                Some(f.until),
                Some(page),
            )
        },
    );
    view! {
        <Title text=t!("page-title", page = t!("nav-audit"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("nav-audit")}</span></nav>
        <h1>{t!("nav-audit")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t!("audit-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    // The filter only for those who may read the log: a
                    // viewer's 403 page offers nothing to fill in.
                    Ok(log) => {
                        let f0 = filter.get_untracked();
                        let selected = move |a: &str| f0.action == a;
                        let qs = query_string(&filter.get_untracked());
                        let join = if qs.is_empty() { String::new() } else { format!("&{qs}") };
                        let base = if qs.is_empty() { "/admin/audit".to_string() } else { format!("/admin/audit?{qs}") };
                        let total = log.paging.total;
                        view! {
                            <form method="get" action=crate::routes::href("/admin/audit") class="filter audit-filter" data-testid="audit-filter">
                                <label>{t!("col-user")}" "<input type="text" name="user" value=filter.get_untracked().user/></label>
                                <label>{t!("col-repository")}" "<input type="text" name="repository" placeholder=t!("audit-repository-placeholder") value=filter.get_untracked().repository/></label>
                                <label>{t!("col-action")}" "
                                    <select name="action">
                                        <option value="" selected=selected("")>{t!("activity-any")}</option>
                                        <option value="login" selected=selected("login")>{t!("audit-login")}</option>
                                        <option value="logout" selected=selected("logout")>{t!("audit-logout")}</option>
                                        <option value="delete" selected=selected("delete")>{t!("audit-delete")}</option>
                                        <option value="remove-tag" selected=selected("remove-tag")>{t!("audit-remove-tag")}</option>
                                        <option value="policy-create" selected=selected("policy-create")>{t!("audit-policy-create")}</option>
                                        <option value="policy-edit" selected=selected("policy-edit")>{t!("audit-policy-edit")}</option>
                                        <option value="policy-delete" selected=selected("policy-delete")>{t!("audit-policy-delete")}</option>
                                        <option value="retention-dry-run" selected=selected("retention-dry-run")>{t!("audit-retention-dry-run")}</option>
                                        <option value="retention-apply" selected=selected("retention-apply")>{t!("audit-retention-apply")}</option>
                                    </select>
                                </label>
                                <label>{t!("audit-from")}" "<input type="date" name="since" value=filter.get_untracked().since/></label>
                                <label>{t!("audit-to")}" "<input type="date" name="until" value=filter.get_untracked().until/></label>
                                <button type="submit">{t!("filter-button")}</button>
                                <a href=crate::routes::href("/admin/audit")>{t!("filter-clear")}</a>
                            </form>
                            <p class="count" data-testid="audit-count">
                                {t!("audit-count", total = total, days = log.keep_days)}
                                " · "{t!("audit-export")}" "
                                <a href={crate::routes::href(&format!("/admin/audit/export?format=csv{join}"))} data-testid="export-csv" download>"CSV"</a>
                                " · "
                                <a href={crate::routes::href(&format!("/admin/audit/export?format=jsonl{join}"))} data-testid="export-jsonl" download>{t!("audit-jsonl")}</a>
                            </p>
                            <Pager paging=log.paging base noun=t!("pager-noun-entries")/>
                            {if log.rows.is_empty() {
                                view! { <p class="empty" data-testid="audit-empty">{t!("audit-empty")}</p> }.into_any()
                            } else {
                                view! { <AuditTable rows=log.rows/> }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    let fmt = crate::i18n::Fmt::current();
    view! {
        <table class="audit" data-testid="audit-table">
            <thead><tr>
                <th>{t!("col-time")}</th><th>{t!("col-user")}</th><th>{t!("col-address")}</th><th>{t!("col-action")}</th><th>{t!("col-repository")}</th>
                <th>{t!("col-tags")}</th><th>{t!("col-digest")}</th><th>{t!("col-result")}</th><th>{t!("col-request-id")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let (action, result, detail) = (r.action.clone(), r.result.clone(), r.detail.clone());
                    let result_class = format!("badge verdict-{}", match r.result.as_str() { "ok" => "yes", "started" => "unknown", _ => "no" });
                    view! {
                        <tr data-action=action data-result=result>
                            <td class="when">{fmt.instant(r.at_ms)}</td>
                            <td>{r.username}</td>
                            <td><code>{r.client_ip}</code></td>
                            <td>{audit_action(&r.action)}</td>
                            <td>{r.repository}</td>
                            <td>{r.tags.join(", ")}</td>
                            <td><code title=r.digest.clone()>{crate::format::short_digest(&r.digest)}</code></td>
                            <td><span class=result_class title=detail>{audit_result(&r.result)}</span>
                                {(!r.detail.is_empty()).then(|| view! { <small class="detail">{r.detail}</small> })}</td>
                            <td><code>{r.request_id}</code></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// An audit action as the UI names it (the stored value is the English key).
fn audit_action(action: &str) -> String {
    match action {
        "login" => t!("audit-login"),
        "logout" => t!("audit-logout"),
        "delete" => t!("audit-delete"),
        "remove-tag" => t!("audit-remove-tag"),
        "policy-create" => t!("audit-policy-create"),
        "policy-edit" => t!("audit-policy-edit"),
        "policy-delete" => t!("audit-policy-delete"),
        "retention-dry-run" => t!("audit-retention-dry-run"),
        "retention-apply" => t!("audit-retention-apply"),
        other => other.to_string(),
    }
}

fn audit_result(result: &str) -> String {
    match result {
        "ok" => t!("audit-result-ok"),
        "started" => t!("audit-result-started"),
        "failed" => t!("audit-result-failed"),
        "denied" => t!("audit-result-denied"),
        other => other.to_string(),
    }
}
