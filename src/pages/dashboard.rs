use leptos::prelude::*;
use leptos_meta::Stylesheet;

use crate::api::get_dashboard;
use crate::format::short_digest_str;
use crate::i18n::Fmt;
use crate::model::Dashboard;
use crate::routes::{href, repo_path, tag_path};
use crate::t;

/// The top of the landing page: how big the registry is, its largest
/// repositories and the latest pushes. The repository list follows it.
/// Without the index it says so and the list is all there is.
#[component]
pub fn DashboardSummary() -> impl IntoView {
    view! {
        <Stylesheet id="berth-storage" href=href("/storage.css")/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match get_dashboard().await {
                    Ok(d) => view! { <Summary d/> }.into_any(),
                    Err(e) => view! {
                        <p class="hint" data-testid="dashboard-unavailable">{t!("dashboard-unavailable", reason = e.to_string())}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Summary(d: Dashboard) -> impl IntoView {
    let fmt = Fmt::current();
    let now = d.now;
    let largest = d
        .largest
        .iter()
        .map(|r| {
            view! {
                <li data-repository=r.name.clone()>
                    <a href=href(&repo_path(&r.name))>{r.name.clone()}</a>
                    " " <span class="num">{fmt.size(r.total)}</span>
                    " " <small class="hint">{t!("dashboard-exclusive", size = fmt.size(r.exclusive))}</small>
                </li>
            }
        })
        .collect_view();
    let recent = d
        .recent
        .iter()
        .map(|p| {
            let (link, name) = if p.tag.is_empty() {
                (
                    repo_path(&p.repository),
                    format!("{}@{}", p.repository, short_digest_str(&p.digest)),
                )
            } else {
                (
                    tag_path(&p.repository, &p.tag),
                    format!("{}:{}", p.repository, p.tag),
                )
            };
            let label = name.clone();
            view! {
                <li data-push=name>
                    <a href=href(&link)>{label}</a>
                    " " <small class="hint">{fmt.relative(now, p.at_ms / 1000)}
                    {(!p.actor.is_empty()).then(|| format!(" · {}", p.actor))}</small>
                </li>
            }
        })
        .collect_view();
    let recent_note = if d.recent_from_events {
        t!("dashboard-recent-events")
    } else {
        t!("dashboard-recent-index")
    };
    let has_recent = !d.recent.is_empty();
    let has_largest = !d.largest.is_empty();
    view! {
        <section class="dashboard" data-testid="dashboard" aria-label=t!("dashboard-label")>
            {(!d.index_enabled).then(|| view! { <p class="hint" data-testid="dashboard-index-off">{t!("storage-index-off")}</p> })}
            <dl class="stats">
                <div><dt>{t!("stat-repositories")}</dt><dd data-testid="dashboard-repositories">{fmt.count(d.repositories as usize)}</dd></div>
                <div><dt>{t!("stat-tags")}</dt><dd data-testid="dashboard-tags">{fmt.count(d.tags as usize)}</dd></div>
                <div><dt>{t!("storage-total")}</dt><dd data-testid="dashboard-bytes" data-bytes=d.bytes.to_string()><a href=href("/storage")>{fmt.size(d.bytes)}</a></dd></div>
            </dl>
            <div class="dash-cols">
                <div>
                    <h2>{t!("dashboard-largest")}</h2>
                    {if has_largest {
                        view! { <ol class="dash-list" data-testid="dashboard-largest">{largest}</ol> }.into_any()
                    } else {
                        view! { <p class="empty">{t!("storage-empty")}</p> }.into_any()
                    }}
                    <p><a href=href("/storage")>{t!("dashboard-storage-link")}</a></p>
                </div>
                <div>
                    <h2>{t!("dashboard-recent")}</h2>
                    {if has_recent {
                        view! { <ul class="dash-list" data-testid="dashboard-recent">{recent}</ul> }.into_any()
                    } else {
                        view! { <p class="empty">{t!("dashboard-recent-none")}</p> }.into_any()
                    }}
                    <p class="hint">{recent_note}" "<a href=href("/activity")>{t!("dashboard-activity-link")}</a></p>
                </div>
            </div>
        </section>
    }
}
