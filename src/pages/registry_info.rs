use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_registry_report;
use crate::components::ErrorView;
use crate::i18n::Fmt;
use crate::model::{IndexStatus, RegistryReport};
use crate::t;

/// The admin capability page: how the backing registry is set up.
#[component]
pub fn RegistryInfoPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_registry_report());
    let q = leptos_router::hooks::use_query_map().get_untracked();
    let sync_asked = q.get("sync").as_deref() == Some("asked");
    view! {
        <Title text=t!("page-title", page = t!("nav-registry"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("nav-registry")}</span></nav>
        <h1>{t!("registry-title")}</h1>
        {sync_asked.then(|| view! { <p class="flash ok" role="status">{t!("index-sync-requested")}</p> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("registry-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(report) => view! { <Report report/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: RegistryReport) -> impl IntoView {
    let r = report;
    let dash = || "—".to_string();
    view! {
        <dl class="facts" data-testid="registry-facts">
            <dt>{t!("registry-url")}</dt><dd><code>{r.url}</code></dd>
            <dt>{t!("registry-api-version")}</dt><dd><code data-testid="api-version">{r.api_version.unwrap_or_else(dash)}</code></dd>
            <dt>{t!("registry-auth-scheme")}</dt><dd data-testid="auth-scheme">{r.auth_scheme}</dd>
            <dt>{t!("registry-realm")}</dt><dd><code>{r.realm.unwrap_or_else(dash)}</code></dd>
            {r.service.map(|s| view! { <dt>{t!("registry-token-service")}</dt><dd><code>{s}</code></dd> })}
            <dt>{t!("registry-round-trip")}</dt><dd data-testid="latency">{r.latency_ms.map(|ms| t!("registry-latency", ms = format!("{ms:.1}"))).unwrap_or_else(dash)}</dd>
        </dl>
        <table class="capabilities" data-testid="capabilities">
            <thead><tr><th>{t!("col-check")}</th><th>{t!("col-answer")}</th><th>{t!("col-how")}</th></tr></thead>
            <tbody>
                {r.checks.into_iter().map(|c| {
                    let (name, class) = (c.name.clone(), format!("badge verdict-{}", c.verdict));
                    view! {
                        <tr data-check=name>
                            <td>{check_label(&c.name)}</td>
                            <td><span class=class>{verdict_label(&c.verdict)}</span></td>
                            <td>{c.detail}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">{t!("registry-probes-harmless")}</p>
        <IndexSection status=r.index/>
    }
}

/// The registry index: on or off, syncing or idle, the last sync, what it
/// holds, and a "sync now" button (a plain form).
#[component]
fn IndexSection(status: IndexStatus) -> impl IntoView {
    let s = status;
    let fmt = Fmt::current();
    let state = if !s.enabled {
        t!("index-off")
    } else if s.running {
        t!(
            "index-running",
            done = s.repositories_done,
            total = s.repositories_total,
            tags = s.tags_seen
        )
    } else if s.interval_s == 0 {
        t!("index-manual")
    } else {
        t!("index-idle", secs = s.interval_s)
    };
    let last = match &s.last {
        None => t!("index-never"),
        Some(l) => t!(
            "index-last-value",
            when = fmt.relative(s.now_ms / 1000, l.started_ms / 1000),
            took = format!("{:.1}", l.took_ms as f64 / 1000.0),
            repositories = l.repositories,
            tags = l.tags,
            fetched = l.fetched,
            requests = l.requests
        ),
    };
    let stopped = s
        .last
        .as_ref()
        .filter(|l| !l.error.is_empty())
        .map(|l| t!("index-last-error", error = l.error.clone()));
    let holds = t!(
        "index-holds-value",
        repositories = s.repositories,
        tags = s.tags,
        manifests = s.manifests,
        blobs = s.blobs,
        bytes = fmt.size(s.blob_bytes)
    );
    let action = crate::routes::href("/admin/registry/sync");
    view! {
        <section class="index-status" data-testid="index-status" data-running=s.running.to_string()>
            <h2>{t!("index-title")}</h2>
            <p data-testid="index-state">{state}</p>
            <dl class="facts">
                <dt>{t!("index-last")}</dt><dd data-testid="index-last">{last}{stopped.map(|e| view! { <br/><span class="error">{e}</span> })}</dd>
                <dt>{t!("index-holds")}</dt><dd data-testid="index-holds">{holds}</dd>
            </dl>
            {s.error.map(|e| view! { <p class="flash error" role="alert">{e}</p> })}
            {s.enabled.then(|| view! {
                <form method="post" action=action>
                    <input type="hidden" name="csrf" value=s.csrf/>
                    <button type="submit" data-testid="index-sync-now">{t!("index-sync-now")}</button>
                </form>
            })}
        </section>
    }
}

/// A check's verdict as the UI names it (the attribute keeps the key).
fn verdict_label(verdict: &str) -> String {
    match verdict {
        "yes" => t!("verdict-yes"),
        "no" => t!("verdict-no"),
        "unknown" => t!("verdict-unknown"),
        "not probed" => t!("verdict-not-probed"),
        other => other.to_string(),
    }
}

/// A check's name as the UI says it; the `data-check` attribute keeps the
/// English name as a stable id.
fn check_label(name: &str) -> String {
    match name {
        "Reachable" => t!("check-reachable"),
        "Registry API v2" => t!("check-api-v2"),
        "Catalog" => t!("check-catalog"),
        "Catalog page cap" => t!("check-catalog-cap"),
        "Delete enabled" => t!("check-delete"),
        "Tag lists paged" => t!("check-tag-paging"),
        "OCI referrers API" => t!("check-referrers"),
        "Tag paging, referrers" => t!("check-paging-referrers"),
        other => other.to_string(),
    }
}
