use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_tags;
use crate::components::page_data::ViewerResource;
use crate::components::{CopyButton, DeleteDialog, ErrorView};
use crate::format;
use crate::model::TagRow;
use crate::routes::{delete_error_message, repo_path, tag_path};
use crate::sort::{sort_rows, TagSort};

/// A repository: every tag with digest, size, date and platforms, sorted
/// across all tags by the `sort` query parameter.
#[component]
pub fn TagsPage(repo: String) -> impl IntoView {
    let query = use_query_map();
    let sort = Memo::new(move |_| TagSort::from_query(query.read().get("sort").as_deref()));
    let deleted = query
        .get_untracked()
        .get("deleted")
        .and_then(|n| n.parse::<usize>().ok());
    let delete_error = query
        .get_untracked()
        .get("delete_error")
        .map(|c| delete_error_message(&c));
    let viewer = expect_context::<ViewerResource>().0;
    let repo_key = repo.clone();
    let data = Resource::new(move || repo_key.clone(), list_tags);
    let title = format!("{repo} · Berth");
    view! {
        <Title text=title/>
        <nav class="crumbs"><a href="/">"Repositories"</a>" / "<span>{repo.clone()}</span></nav>
        <h1>{repo.clone()}</h1>
        {deleted.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">
                {format!("Deleted {n} manifest{}. ", if n == 1 { "" } else { "s" })}
                "Disk space comes back only after the registry's garbage-collect runs."
            </p>
        })}
        {delete_error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading tags…"</p> }>
            {move || Suspend::new(async move {
                let (can_delete, csrf) = viewer.await.map(|v| (v.can_delete, v.csrf)).unwrap_or_default();
                // After an in-page delete, reload the list.
                let reload = Callback::new(move |_| data.refetch());
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(list) => view! { <TagTable list sort can_delete csrf reload/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TagTable(
    list: crate::model::TagList,
    sort: Memo<TagSort>,
    can_delete: bool,
    csrf: String,
    reload: Callback<()>,
) -> impl IntoView {
    let repo = list.repository.clone();
    // Tags ticked for deletion, and whether the in-page dialog is open.
    let selected = RwSignal::new(Vec::<String>::new());
    let dialog_open = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !selected.read_untracked().is_empty() {
            dialog_open.set(true);
        }
    };
    let dialog = {
        let repo = repo.clone();
        move || {
            dialog_open.get().then(|| {
                let on_close = Callback::new(move |_| {
                    dialog_open.set(false);
                    selected.set(Vec::new());
                    reload.run(());
                });
                view! { <DeleteDialog repo=repo.clone() tags=selected.get_untracked() csrf=csrf.clone() on_close/> }
            })
        }
    };
    let count = list.rows.len();
    let rows = StoredValue::new(list.rows);
    let (now, host) = (list.now, list.pull_host.clone());
    let sort_link = move |key: TagSort, label: &'static str| {
        let href = format!("{}?sort={}", repo_path(&list.repository), key.key());
        view! {
            <a href=href class:active=move || sort.get() == key aria-current=move || (sort.get() == key).then_some("true")>{label}</a>
        }
    };
    let delete_action = format!("{}/-/delete", repo_path(&repo));
    view! {
        <p class="count" data-testid="tag-count">{format!("{count} tags")}</p>
        <p class="sort">"Sort by: " {sort_link(TagSort::Name, "name")} " · " {sort_link(TagSort::Version, "version")} " · " {sort_link(TagSort::Date, "date")}</p>
        {(count == 0).then(|| view! { <p class="empty">"This repository has no tags."</p> })}
        <form method="get" action=delete_action class="tags-form" on:submit=on_submit>
            <table class="tags">
                <thead><tr>
                    {can_delete.then(|| view! { <th><span class="sr">"Select"</span></th> })}
                    <th>"Tag"</th><th>"Digest"</th><th>"Size"</th><th>"Created"</th><th>"Platforms"</th><th>"Pull"</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let mut sorted = rows.get_value();
                        sort_rows(&mut sorted, sort.get());
                        sorted.into_iter().map(|row| view! { <Row row repo=repo.clone() host=host.clone() now can_delete selected/> }).collect_view()
                    }}
                </tbody>
            </table>
            {can_delete.then(|| view! { <button type="submit" class="danger">"Delete selected…"</button> })}
        </form>
        {dialog}
    }
}

#[component]
fn Row(
    row: TagRow,
    repo: String,
    host: String,
    now: i64,
    can_delete: bool,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let tag = row.tag.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        selected.update(|s| {
            s.retain(|t| *t != tag);
            if checked {
                s.push(tag.clone());
            }
        });
    };
    let pull = format!("docker pull {host}/{repo}:{}", row.tag);
    let size = match (row.is_index, row.size) {
        (false, Some(s)) => format::size(s),
        _ => String::new(),
    };
    let per_platform = row.is_index.then(|| {
        row.platforms
            .iter()
            .map(|p| view! { <div>{format!("{}: {}", p.platform, p.size.map(format::size).unwrap_or_else(|| "?".into()))}</div> })
            .collect_view()
    });
    let created = row.created.map(|t| view! { <time title=format::date(t)>{format::date(t)}<br/><small>{format::relative(now, t)}</small></time> });
    let shared = (!row.shares_digest_with.is_empty()).then(|| {
        view! { <div class="shared" title="These tags point at the same manifest">"same digest as " {row.shares_digest_with.join(", ")}</div> }
    });
    view! {
        <tr data-tag=row.tag.clone()>
            {can_delete.then(|| {
                // Ticks survive a re-sort because they live in `selected`.
                let tag = row.tag.clone();
                let checked = move || selected.read().contains(&tag);
                view! { <td><input type="checkbox" name="tag" value=row.tag.clone() aria-label=format!("Select {}", row.tag) prop:checked=checked on:change=on_change/></td> }
            })}
            <td class="tag"><a href=tag_path(&repo, &row.tag)>{row.tag.clone()}</a>{shared}</td>
            <td><code title=row.digest.clone()>{format::short_digest(&row.digest)}</code></td>
            <td class="size">{size}{per_platform}</td>
            <td>{created}</td>
            <td>{row.platforms.iter().map(|p| p.platform.clone()).collect::<Vec<_>>().join(", ")}{row.error.map(|e| view! { <div class="row-error">{e}</div> })}</td>
            <td><CopyButton text=pull/></td>
        </tr>
    }
}
