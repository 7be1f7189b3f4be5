use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_repositories;
use crate::components::{ErrorView, Pager};
use crate::paging::page_from_query;
use crate::routes::{encode, repo_path};

/// Groups names by namespace (everything before the last `/`).
fn group(names: &[String], filter: &str) -> BTreeMap<String, Vec<String>> {
    let needle = filter.trim().to_lowercase();
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in names
        .iter()
        .filter(|n| needle.is_empty() || n.contains(&needle))
    {
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
/// live as you type over the rows on the page. A catalog longer than
/// `BERTH_MAX_ROWS` comes in pages.
#[component]
pub fn ReposPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| page_from_query(query.read().get("page").as_deref()));
    let initial = q.get_untracked();
    let filter = RwSignal::new(initial.clone());
    let repos = Resource::new(
        move || (q.get(), page.get()),
        |(q, page)| list_repositories(Some(q), Some(page)),
    );
    view! {
        <Title text="Repositories · Berth"/>
        <h1>"Repositories"</h1>
        <form method="get" action="/" class="filter" role="search">
            <input type="search" name="q" placeholder="Filter repositories" aria-label="Filter repositories"
                value=initial on:input=move |ev| filter.set(event_target_value(&ev))/>
            <button type="submit">"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Loading repositories…"</p> }>
            {move || Suspend::new(async move {
                match repos.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(list) => {
                        let total = list.total;
                        let (skipped, paging) = (list.skipped, list.paging);
                        let pager_base = if list.filter.is_empty() {
                            "/".to_string()
                        } else {
                            format!("/?q={}", encode(&list.filter))
                        };
                        let names = StoredValue::new(list.repositories);
                        view! {
                            {move || {
                                let groups = names.with_value(|n| group(n, &filter.get()));
                                let shown: usize = groups.values().map(Vec::len).sum();
                                view! {
                                    <p class="count" data-testid="repo-count">
                                        {if shown == total { format!("{total} repositories") } else { format!("{shown} of {total} repositories") }}
                                    </p>
                                    {(skipped > 0).then(|| view! { <p class="flash error" role="status" data-testid="skipped-names">{format!("The registry listed {skipped} names that are not valid repository names; Berth does not show or link them.")}</p> })}
                                    {(total == 0).then(|| view! { <p class="empty">"The registry has no repositories yet. Push an image to see it here."</p> })}
                                    <Pager paging base=pager_base.clone() noun="Repositories"/>
                                    <div class="groups">
                                        {groups.into_iter().map(|(ns, items)| view! {
                                            <section class="namespace">
                                                <h2>{if ns.is_empty() { "(no namespace)".to_string() } else { ns.clone() }}</h2>
                                                <ul>
                                                    {items.into_iter().map(|name| {
                                                        let short = name.rsplit_once('/').map(|(_, s)| s.to_string()).unwrap_or_else(|| name.clone());
                                                        view! { <li><a href=repo_path(&name) title=name.clone()>{short}</a></li> }
                                                    }).collect_view()}
                                                </ul>
                                            </section>
                                        }).collect_view()}
                                    </div>
                                }
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
