use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};

use crate::api::storage;
use crate::components::charts::{Bar, BarChart, GrowthChart};
use crate::components::ErrorView;
use crate::format::short_digest_str;
use crate::i18n::Fmt;
use crate::model::{StorageReport, STORAGE_MAX_REPOSITORIES};
use crate::routes::{href, repo_path};
use crate::t;

/// Bars drawn for the largest repositories; the table lists more.
const BARS: usize = 20;

/// `/storage`: where the registry's disk space goes, from the index. The
/// charts are SVG drawn by the server, so the page needs no script.
#[component]
pub fn StoragePage() -> impl IntoView {
    let report = Resource::new(|| (), |_| storage());
    view! {
        <Stylesheet id="berth-storage" href=href("/storage.css")/>
        <Title text=t!("page-title", page = t!("storage-title"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("storage-title")}</span></nav>
        <h1>{t!("storage-title")}</h1>
        <Suspense fallback=|| view! { <p class="loading">{t!("storage-loading")}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(report) => view! { <Report report/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: StorageReport) -> impl IntoView {
    let fmt = Fmt::current();
    let freshness = if !report.index_enabled {
        t!("storage-index-off")
    } else if report.synced_ms == 0 {
        t!("search-index-never")
    } else {
        t!(
            "search-index-synced",
            when = fmt.relative(report.now, report.synced_ms / 1000)
        )
    };
    let scope = if report.whole_registry {
        t!("storage-scope-all")
    } else {
        t!("storage-scope-own")
    };
    let more = report
        .repository_count
        .saturating_sub(report.repositories.len() as u64);
    let bars: Vec<Bar> = report
        .repositories
        .iter()
        .take(BARS)
        .map(|r| Bar {
            label: r.name.clone(),
            href: href(&repo_path(&r.name)),
            first: r.exclusive,
            second: r.shared,
        })
        .collect();
    let rows = report
        .repositories
        .iter()
        .map(|r| {
            view! {
                <tr data-repository=r.name.clone()>
                    <td><a href=href(&repo_path(&r.name))>{r.name.clone()}</a></td>
                    <td class="num">{fmt.count(r.tags as usize)}</td>
                    <td class="num" data-bytes=r.total.to_string()>{fmt.size(r.total)}</td>
                    <td class="num" data-bytes=r.exclusive.to_string() data-col="exclusive">{fmt.size(r.exclusive)}</td>
                    <td class="num" data-bytes=r.shared.to_string() data-col="shared">{fmt.size(r.shared)}</td>
                </tr>
            }
        })
        .collect_view();
    let layers = report
        .largest_layers
        .iter()
        .map(|l| {
            let users = l
                .repositories
                .iter()
                .map(|r| view! { <a href=href(&repo_path(r))>{r.clone()}</a>" " })
                .collect_view();
            view! {
                <tr data-layer=l.digest.clone()>
                    <td><code title=l.digest.clone()>{short_digest_str(&l.digest).to_string()}</code></td>
                    <td class="num">{fmt.size(l.size)}</td>
                    <td class="users">{users}{(l.more > 0).then(|| t!("storage-more-users", n = l.more))}</td>
                </tr>
            }
        })
        .collect_view();
    let growth: Vec<(i64, u64)> = report.growth.iter().map(|p| (p.at, p.bytes)).collect();
    let empty = report.blobs == 0;
    view! {
        <p class="hint" data-testid="storage-freshness">{freshness}</p>
        <p class="hint" data-testid="storage-scope">{scope}{report.unchecked.then(|| format!(" {}", t!("storage-unchecked")))}</p>
        <dl class="stats" data-testid="storage-totals">
            <div><dt>{t!("storage-total")}</dt><dd data-bytes=report.total_bytes.to_string() data-testid="storage-total">{fmt.size(report.total_bytes)}</dd></div>
            <div><dt>{t!("storage-blobs")}</dt><dd>{fmt.count(report.blobs as usize)}</dd></div>
            <div><dt>{t!("stat-repositories")}</dt><dd>{fmt.count(report.repository_count as usize)}</dd></div>
            <div><dt>{t!("stat-tags")}</dt><dd>{fmt.count(report.tags as usize)}</dd></div>
        </dl>
        {if empty {
            view! { <p class="empty" data-testid="storage-empty">{t!("storage-empty")}</p> }.into_any()
        } else {
            view! {
                <section aria-labelledby="storage-by-repo">
                    <h2 id="storage-by-repo">{t!("storage-by-repository")}</h2>
                    <p class="hint">{t!("storage-split-help")}</p>
                    <p class="legend"><span class="swatch bar-exclusive"></span>{t!("storage-exclusive")}" "<span class="swatch bar-shared"></span>{t!("storage-shared")}</p>
                    <BarChart bars title=t!("storage-bars-title", n = BARS) first_class="bar-exclusive" second_class="bar-shared"/>
                    <table class="storage" data-testid="storage-repositories">
                        <thead><tr>
                            <th>{t!("col-repository")}</th><th class="num">{t!("stat-tags")}</th>
                            <th class="num">{t!("storage-total-col")}</th><th class="num">{t!("storage-exclusive")}</th><th class="num">{t!("storage-shared")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {(more > 0).then(|| view! { <p class="hint">{t!("storage-more-repositories", n = more, max = STORAGE_MAX_REPOSITORIES)}</p> })}
                </section>
                <section aria-labelledby="storage-layers">
                    <h2 id="storage-layers">{t!("storage-largest-layers")}</h2>
                    <table class="storage" data-testid="storage-layers">
                        <thead><tr><th>{t!("col-digest")}</th><th class="num">{t!("col-size")}</th><th>{t!("storage-used-by")}</th></tr></thead>
                        <tbody>{layers}</tbody>
                    </table>
                </section>
                <section aria-labelledby="storage-growth">
                    <h2 id="storage-growth">{t!("storage-growth")}</h2>
                    <GrowthChart points=growth now_ms=report.now * 1000 title=t!("storage-growth")/>
                    <p class="hint">{t!("storage-growth-help")}</p>
                </section>
            }.into_any()
        }}
        <p class="hint">{t!("storage-gc-hint")}</p>
    }
}
