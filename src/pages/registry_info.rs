use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_registry_report;
use crate::components::ErrorView;
use crate::model::RegistryReport;

/// The admin capability page: how the backing registry is set up.
#[component]
pub fn RegistryInfoPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_registry_report());
    view! {
        <Title text="Registry · Berth"/>
        <nav class="crumbs"><a href=crate::routes::href("/")>"Repositories"</a>" / "<span>"Registry"</span></nav>
        <h1>"Registry capabilities"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Probing the registry…"</p> }>
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
            <dt>"URL"</dt><dd><code>{r.url}</code></dd>
            <dt>"API version header"</dt><dd><code data-testid="api-version">{r.api_version.unwrap_or_else(dash)}</code></dd>
            <dt>"Auth scheme"</dt><dd data-testid="auth-scheme">{r.auth_scheme}</dd>
            <dt>"Realm"</dt><dd><code>{r.realm.unwrap_or_else(dash)}</code></dd>
            {r.service.map(|s| view! { <dt>"Token service"</dt><dd><code>{s}</code></dd> })}
            <dt>"Round trip"</dt><dd data-testid="latency">{r.latency_ms.map(|ms| format!("{ms:.1} ms (median of 5 GET /v2/)")).unwrap_or_else(dash)}</dd>
        </dl>
        <table class="capabilities" data-testid="capabilities">
            <thead><tr><th>"Check"</th><th>"Answer"</th><th>"How Berth knows"</th></tr></thead>
            <tbody>
                {r.checks.into_iter().map(|c| {
                    let (name, class) = (c.name.clone(), format!("badge verdict-{}", c.verdict));
                    view! {
                        <tr data-check=name>
                            <td>{c.name}</td>
                            <td><span class=class>{c.verdict}</span></td>
                            <td>{c.detail}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">"Probes are harmless: the delete check asks to delete a digest no manifest has."</p>
    }
}
