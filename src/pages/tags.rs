use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tag_rows::{write_rows, RowContext};
use crate::api::{get_activity, list_tags};
use crate::components::page_data::ViewerResource;
use crate::components::{ActivityTable, ErrorView, LongName, Pager, TagActions};
use crate::model::DialogTexts;
use crate::paging::page_from_query;
use crate::routes::{delete_error_message, repo_path};
use crate::sort::TagSort;
use crate::t;

/// A repository: every tag with digest, size, date and platforms, sorted
/// across all tags by the `sort` query parameter (on the server, which
/// sends one page of `BERTH_MAX_ROWS` rows).
#[component]
pub fn TagsPage(repo: String) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let sort = TagSort::from_query(q.get("sort").as_deref());
    // Cosign signature tags are hidden unless asked for.
    let show_signatures = q.get("signatures").as_deref() == Some("show");
    let page = page_from_query(q.get("page").as_deref());
    let refresh = q.get("refresh").as_deref() == Some("1");
    let deleted = q.get("deleted").and_then(|n| n.parse::<usize>().ok());
    let removed = q.get("removed").and_then(|n| n.parse::<usize>().ok());
    let delete_error = q.get("delete_error").map(|c| delete_error_message(&c));
    let viewer = expect_context::<ViewerResource>().0;
    let key = (repo.clone(), sort, show_signatures, page, refresh);
    let title = t!("page-title", page = repo.clone());
    view! {
        <Title text=title/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<span>{repo.clone()}</span></nav>
        <h1><LongName name=repo.clone()/></h1>
        {deleted.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">{t!("tags-deleted", n = n)}</p>
        })}
        {removed.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">{t!("tags-removed", n = n)}</p>
        })}
        {delete_error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("tags-loading")}</p> }>
            // The list is awaited here, not through a Resource: this table is
            // rendered once on the server and never hydrated, and a Resource
            // hands out a clone of its value (all rows, again) on every read.
            {move || {
                let (repo, sort_key, signatures, page, refresh) = key.clone();
                Suspend::new(async move {
                let (can_delete, csrf) = viewer.await.map(|v| (v.can_delete, v.csrf)).unwrap_or_default();
                match list_tags(repo, Some(sort_key.key().to_string()), Some(signatures), Some(page), Some(refresh)).await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(list) => view! { <TagTable list sort show_signatures can_delete csrf/> }.into_any(),
                }
            })}}
        </Suspense>
        <RepoActivity repo/>
    }
}

/// The repository's own recent pushes, pulls and deletes, when Berth takes
/// registry notifications; nothing otherwise (the tag table is the page).
#[component]
fn RepoActivity(repo: String) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            // Awaited directly, not through a Resource (see TagsPage).
            {move || {
                let repo = repo.clone();
                Suspend::new(async move {
                let p = get_activity(None, Some(repo), None, None, None, Some(1)).await.ok().filter(|p| p.events_on && !p.rows.is_empty())?;
                let now = p.now;
                Some(view! {
                    <section class="repo-activity" data-testid="repo-activity">
                        <h2>{t!("activity-recent")}</h2>
                        <ActivityTable rows=p.rows now/>
                        <p><a href=crate::routes::href("/activity")>{t!("activity-all")}</a></p>
                    </section>
                })
            })}}
        </Suspense>
    }
}

#[component]
fn TagTable(
    list: crate::model::TagPage,
    sort: TagSort,
    show_signatures: bool,
    can_delete: bool,
    csrf: String,
) -> impl IntoView {
    let repo = list.repository.clone();
    let (signature_count, count, skipped, paging) = (
        list.signature_count,
        list.tag_count,
        list.skipped,
        list.paging,
    );
    let (now, host, pulls) = (list.now, list.pull_host.clone(), list.pulls_known);
    let base = repo_path(&list.repository);
    let extra = if show_signatures {
        "&signatures=show"
    } else {
        ""
    };
    let pager_base = format!("{base}?sort={}{extra}", sort.key());
    let sort_link = |key: TagSort, label: String| {
        let href = crate::routes::href(&format!("{base}?sort={}{extra}", key.key()));
        let active = sort == key;
        view! { <a href=href class:active=active aria-current=active.then_some("true")>{label}</a> }
    };
    let signatures_toggle = (signature_count > 0).then(|| {
        let sort_key = sort.key();
        let (href, label) = if show_signatures {
            (
                format!("{base}?sort={sort_key}"),
                t!("tags-hide-signatures", n = signature_count),
            )
        } else {
            (
                format!("{base}?sort={sort_key}&signatures=show"),
                t!("tags-show-signatures", n = signature_count),
            )
        };
        view! { <a href=crate::routes::href(&href) data-testid="signatures-toggle">{label}</a> }
    });
    let delete_action = crate::routes::href(&format!("{}/-/delete", repo_path(&repo)));
    let compare_action = crate::routes::href(&format!("{}/-/compare", repo_path(&repo)));
    // Every row's words, looked up once for the whole table; the rows are
    // written as one string (see tag_rows.rs).
    let cx = RowContext::current(&repo, &host, now, pulls);
    let checked = t!("tags-checked", when = cx.fmt.relative(now, list.checked));
    let refresh = crate::routes::href(&format!("{base}?sort={}{extra}&refresh=1", sort.key()));
    let copied = cx.copy.done.clone();
    let mut rows = String::new();
    write_rows(&mut rows, &list.rows, &cx);
    view! {
        <p class="count" data-testid="tag-count">{t!("tags-count", n = count)}
            {(signature_count > 0).then(|| format!(" {}", t!("tags-and-signatures", n = signature_count)))}</p>
        <p class="hint checked" data-testid="tags-checked" data-checked=list.checked.to_string()>{checked}" · "<a href=refresh data-testid="tags-refresh">{t!("tags-refresh")}</a></p>
        <p class="sort">{t!("sort-by")}" " {sort_link(TagSort::Name, t!("sort-name"))} " · " {sort_link(TagSort::Version, t!("sort-version"))} " · " {sort_link(TagSort::Date, t!("sort-date"))}
            {pulls.then(|| view! { " · " {sort_link(TagSort::Pulled, t!("sort-last-pulled"))} " · " {sort_link(TagSort::Pulls, t!("sort-pulls"))} })}
            {signatures_toggle.map(|t| view! { " · " {t} })}</p>
        {(skipped > 0).then(|| view! { <p class="flash error" role="status" data-testid="skipped-names">{t!("tags-skipped", n = skipped)}</p> })}
        {(count == 0).then(|| view! { <p class="empty">{t!("tags-empty")}</p> })}
        <Pager paging base=pager_base.clone() noun=t!("pager-noun-tags")/>
        <TagActions repo=repo.clone() csrf action=delete_action dialog_texts=DialogTexts::current()>
            <table class="tags" data-copied=copied>
                <thead><tr>
                    <th><span class="sr">{t!("col-select")}</span></th>
                    <th>{t!("col-tag")}</th><th class="digest">{t!("col-digest")}</th><th>{t!("col-size")}</th><th>{t!("col-created")}</th>
                    {pulls.then(|| view! { <th class="pulled">{t!("col-last-pulled")}</th><th class="num" title=t!("col-pulls-30d-title")>{t!("col-pulls-30d")}</th> })}
                    <th>{t!("col-platforms")}</th><th>{t!("col-pull")}</th>
                </tr></thead>
                <tbody inner_html=rows></tbody>
            </table>
            <Pager paging base=pager_base.clone() noun=t!("pager-noun-tags")/>
            <button type="submit" formaction=compare_action data-compare="">{t!("tags-compare-ticked")}</button>" "
            {can_delete.then(|| view! { <button type="submit" class="danger" data-delete="">{t!("tags-delete-selected")}</button> })}
        </TagActions>
    }
}
