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

/// "12 repositories", or "3 of 12 repositories" when a filter (the
/// server's over the whole catalog, or the live one over this page)
/// narrowed them. A page cut by `BERTH_MAX_ROWS` alone is not a filter: the
/// pager says which rows it holds.
fn repo_count(shown: usize, on_page: usize, matched: usize, total: usize) -> String {
    let count = if shown < on_page { shown } else { matched };
    if count == total {
        format!("{total} repositories")
    } else {
        format!("{count} of {total} repositories")
    }
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
        <form method="get" action=crate::routes::href("/") class="filter" role="search">
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
                        let on_page = list.repositories.len();
                        let names = StoredValue::new(list.repositories);
                        view! {
                            {move || {
                                let groups = names.with_value(|n| group(n, &filter.get()));
                                let shown: usize = groups.values().map(Vec::len).sum();
                                view! {
                                    <p class="count" data-testid="repo-count">
                                        {repo_count(shown, on_page, paging.total, total)}
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
                                                        view! { <li><a href=crate::routes::href(&repo_path(&name)) title=name.clone()>{short}</a></li> }
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

#[cfg(test)]
mod tests {
    use super::repo_count;

    #[test]
    fn counts_say_filtered_only_when_a_filter_narrowed_them() {
        // The whole catalog on one page, nothing filtered.
        assert_eq!(repo_count(4, 4, 4, 4), "4 repositories");
        // The server's filter matched 2 of 4.
        assert_eq!(repo_count(2, 2, 2, 4), "2 of 4 repositories");
        // Page 1 of 12,345 cut to 5,000 rows: not a filter.
        assert_eq!(
            repo_count(5_000, 5_000, 12_345, 12_345),
            "12345 repositories"
        );
        // The live filter narrowed this page.
        assert_eq!(
            repo_count(3, 5_000, 12_345, 12_345),
            "3 of 12345 repositories"
        );
    }
}
