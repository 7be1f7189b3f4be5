use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_repositories;
use crate::components::{ErrorView, FilterWords, Pager, RepoFilter};
use crate::paging::page_from_query;
use crate::routes::{encode, repo_path};
use crate::t;

/// Groups names (already filtered by the server) by namespace: everything
/// before the last `/`.
fn group(names: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in names {
        let ns = name
            .rsplit_once('/')
            .map(|(ns, _)| ns.to_string())
            .unwrap_or_default();
        groups.entry(ns).or_default().push(name.clone());
    }
    groups
}

/// Every repository, grouped by namespace, with a filter that works as a
/// GET form (on the server, over the whole catalog) and, with JavaScript,
/// live as you type over the rows on the page (the `RepoFilter` island). A
/// catalog longer than `BERTH_MAX_ROWS` comes in pages.
#[component]
pub fn ReposPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.with_untracked(|m| m.get("q").unwrap_or_default());
    let page = query.with_untracked(|m| page_from_query(m.get("page").as_deref()));
    // The overview belongs to the landing page, not to a filtered or later
    // page of the list.
    let landing = q.trim().is_empty() && page <= 1;
    view! {
        <Title text=t!("page-title", page = t!("nav-repositories"))/>
        <h1>{t!("nav-repositories")}</h1>
        {landing.then(|| view! { <super::dashboard::DashboardSummary/> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("repos-loading")}</p> }>
            // Awaited directly: this page is rendered once on the server and
            // never hydrated, and a Resource would spawn a task and clone the
            // list on every read.
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                match list_repositories(Some(q), Some(page)).await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(list) => {
                        let total = list.total;
                        let (skipped, paging) = (list.skipped, list.paging);
                        let pager_base = if list.filter.is_empty() {
                            "/".to_string()
                        } else {
                            format!("/?q={}", encode(&list.filter))
                        };
                        let on_page = list.repositories.len();
                        let groups = group(&list.repositories);
                        let no_namespace = t!("repos-no-namespace");
                        view! {
                            <RepoFilter action=crate::routes::href("/") initial=list.filter.clone()
                                on_page matched=paging.total total words=FilterWords::for_total(total)/>
                            {(skipped > 0).then(|| view! { <p class="flash error" role="status" data-testid="skipped-names">{t!("repos-skipped", n = skipped)}</p> })}
                            {(total == 0).then(|| view! { <p class="empty">{t!("repos-empty")}</p> })}
                            <Pager paging base=pager_base.clone() noun=t!("pager-noun-repositories")/>
                            <div class="groups">
                                {groups.into_iter().map(|(ns, items)| view! {
                                    <section class="namespace">
                                        <h2>{if ns.is_empty() { no_namespace.clone() } else { ns.clone() }}</h2>
                                        <ul>
                                            {items.into_iter().map(|name| {
                                                let short = name.rsplit_once('/').map(|(_, s)| s.to_string()).unwrap_or_else(|| name.clone());
                                                view! { <li data-repo=name.clone()><a href=crate::routes::href(&repo_path(&name)) title=name.clone()>{short}</a></li> }
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}
