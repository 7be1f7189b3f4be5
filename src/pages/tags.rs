use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{get_activity, list_tags};
use crate::components::page_data::ViewerResource;
use crate::components::{ActivityTable, CopyButton, ErrorView, Pager, TagActions};
use crate::format;
use crate::model::TagRow;
use crate::paging::page_from_query;
use crate::routes::{delete_error_message, repo_path, tag_path};
use crate::sort::TagSort;

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
    let deleted = q.get("deleted").and_then(|n| n.parse::<usize>().ok());
    let removed = q.get("removed").and_then(|n| n.parse::<usize>().ok());
    let delete_error = q.get("delete_error").map(|c| delete_error_message(&c));
    let viewer = expect_context::<ViewerResource>().0;
    let key = (repo.clone(), sort, show_signatures, page);
    let data = Resource::new(
        move || key.clone(),
        |(repo, sort, signatures, page)| {
            list_tags(
                repo,
                Some(sort.key().to_string()),
                Some(signatures),
                Some(page),
            )
        },
    );
    let title = format!("{repo} · Berth");
    view! {
        <Title text=title/>
        <nav class="crumbs"><a href=crate::routes::href("/")>"Repositories"</a>" / "<span>{repo.clone()}</span></nav>
        <h1>{repo.clone()}</h1>
        {deleted.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">
                {format!("Deleted {n} manifest{}. ", if n == 1 { "" } else { "s" })}
                "Disk space comes back only after the registry's garbage-collect runs."
            </p>
        })}
        {removed.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">{format!("Removed {n} tag{}; the images stay.", if n == 1 { "" } else { "s" })}</p>
        })}
        {delete_error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading tags…"</p> }>
            {move || Suspend::new(async move {
                let (can_delete, csrf) = viewer.await.map(|v| (v.can_delete, v.csrf)).unwrap_or_default();
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(list) => view! { <TagTable list sort show_signatures can_delete csrf/> }.into_any(),
                }
            })}
        </Suspense>
        <RepoActivity repo/>
    }
}

/// The repository's own recent pushes, pulls and deletes, when Berth takes
/// registry notifications; nothing otherwise (the tag table is the page).
#[component]
fn RepoActivity(repo: String) -> impl IntoView {
    let key = repo.clone();
    let data = Resource::new(
        move || key.clone(),
        |repo| get_activity(None, Some(repo), Some(1)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let p = data.await.ok().filter(|p| p.events_on && !p.rows.is_empty())?;
                let now = p.now;
                Some(view! {
                    <section class="repo-activity" data-testid="repo-activity">
                        <h2>"Recent activity"</h2>
                        <ActivityTable rows=p.rows now/>
                        <p><a href=crate::routes::href("/activity")>"All activity"</a></p>
                    </section>
                })
            })}
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
    let sort_link = |key: TagSort, label: &'static str| {
        let href = crate::routes::href(&format!("{base}?sort={}{extra}", key.key()));
        let active = sort == key;
        view! { <a href=href class:active=active aria-current=active.then_some("true")>{label}</a> }
    };
    let signatures_toggle = (signature_count > 0).then(|| {
        let sort_key = sort.key();
        let (href, label) = if show_signatures {
            (format!("{base}?sort={sort_key}"), "Hide")
        } else {
            (format!("{base}?sort={sort_key}&signatures=show"), "Show")
        };
        view! { <a href=crate::routes::href(&href) data-testid="signatures-toggle">{format!("{label} {signature_count} signature tags")}</a> }
    });
    let delete_action = crate::routes::href(&format!("{}/-/delete", repo_path(&repo)));
    view! {
        <p class="count" data-testid="tag-count">{format!("{count} tags")}
            {(signature_count > 0).then(|| format!(" (and {signature_count} signature tags)"))}</p>
        <p class="sort">"Sort by: " {sort_link(TagSort::Name, "name")} " · " {sort_link(TagSort::Version, "version")} " · " {sort_link(TagSort::Date, "date")}
            {pulls.then(|| view! { " · " {sort_link(TagSort::Pulled, "last pulled")} " · " {sort_link(TagSort::Pulls, "pulls")} })}
            {signatures_toggle.map(|t| view! { " · " {t} })}</p>
        {(skipped > 0).then(|| view! { <p class="flash error" role="status" data-testid="skipped-names">{format!("The registry listed {skipped} tag names that are not valid tags; Berth does not show or link them.")}</p> })}
        {(count == 0).then(|| view! { <p class="empty">"This repository has no tags."</p> })}
        <Pager paging base=pager_base.clone() noun="Tags"/>
        <TagActions repo=repo.clone() csrf action=delete_action>
            <table class="tags">
                <thead><tr>
                    {can_delete.then(|| view! { <th><span class="sr">"Select"</span></th> })}
                    <th>"Tag"</th><th>"Digest"</th><th>"Size"</th><th>"Created"</th>
                    {pulls.then(|| view! { <th>"Last pulled"</th><th class="num" title="Pulls the registry reported in the last 30 days">"Pulls (30 d)"</th> })}
                    <th>"Platforms"</th><th>"Pull"</th>
                </tr></thead>
                <tbody>
                    {list.rows.into_iter().map(|row| view! { <Row row repo=repo.clone() host=host.clone() now pulls can_delete/> }).collect_view()}
                </tbody>
            </table>
            <Pager paging base=pager_base.clone() noun="Tags"/>
            {can_delete.then(|| view! { <button type="submit" class="danger">"Delete selected…"</button> })}
        </TagActions>
    }
}

#[component]
fn Row(
    row: TagRow,
    repo: String,
    host: String,
    now: i64,
    /// Show the pull columns.
    pulls: bool,
    can_delete: bool,
) -> impl IntoView {
    let pull = format!("docker pull {host}/{repo}:{}", row.tag);
    let size = match (row.is_index, row.size) {
        (false, Some(s)) => format::size(s),
        _ => String::new(),
    };
    let per_platform = row.is_index.then(|| {
        row.platforms
            .iter()
            .map(|p| {
                let size = if p.missing {
                    "missing".to_string()
                } else {
                    p.size.map(format::size).unwrap_or_else(|| "?".into())
                };
                view! { <div>{format!("{}: {size}", p.platform)}</div> }
            })
            .collect_view()
    });
    let platforms = row
        .platforms
        .iter()
        .map(|p| {
            view! {
                <span class="platform-chip" class:missing=p.missing>
                    {p.platform.clone()}
                    {p.attested.then(|| view! { <span class="badge attested" title="buildx attestation (provenance / SBOM) for this platform">"attested"</span> })}
                    {p.missing.then(|| view! { <span class="badge missing" title="The index names this manifest but the registry does not have it">"missing"</span> })}
                </span>
            }
        })
        .collect_view();
    let kind = row
        .artifact
        .clone()
        .map(|a| view! { <span class="badge artifact" title="An OCI artifact, not a runnable image">{a}</span> }.into_any())
        .or_else(|| row.legacy.then(|| view! { <span class="badge legacy" title="Docker schema 1: read-only">"legacy schema 1"</span> }.into_any()));
    let signed = (!row.signatures.is_empty()).then(|| {
        let kinds: Vec<String> = row.signatures.iter().map(|s| s.kind.clone()).collect();
        let title = row.signatures.iter().map(|s| s.tag.clone()).collect::<Vec<_>>().join("\n");
        let label = if kinds.iter().any(|k| k == "signature") { "signed" } else { "has" };
        view! { <span class="badge signed" title=title data-testid="signed">{format!("{label}: {}", kinds.join(" · "))}</span> }
    });
    let signature_of = row.signature_of.clone().map(|d| {
        view! { <div class="signature-of">"cosign tag for " <code>{format::short_digest(&d)}</code></div> }
    });
    let created = row.created.map(
        |t| view! { <time>{format::date(t)}<br/><small>{format::relative(now, t)}</small></time> },
    );
    let shared = (!row.shares_digest_with.is_empty()).then(|| {
        view! { <div class="shared" title="These tags point at the same manifest">"same digest as " {row.shares_digest_with.join(", ")}</div> }
    });
    view! {
        <tr data-tag=row.tag.clone()>
            {can_delete.then(|| view! { <td class="select"><input type="checkbox" name="tag" value=row.tag.clone() aria-label=format!("Select {}", row.tag)/></td> })}
            <td class="tag" data-label="Tag"><a href=crate::routes::href(&tag_path(&repo, &row.tag))>{row.tag.clone()}</a>{signed}{shared}{signature_of}</td>
            <td data-label="Digest"><code title=row.digest.clone()>{format::short_digest(&row.digest)}</code></td>
            <td class="size" data-label="Size">{size}{per_platform}</td>
            <td data-label="Created">{created}</td>
            {pulls.then(|| {
                let last = match row.last_pulled {
                    Some(t) => view! { <time>{format::relative(now, t)}</time> }.into_any(),
                    None => view! { <span class="muted" title="No pull reported since Berth began taking registry notifications">"none seen"</span> }.into_any(),
                };
                view! {
                    <td class="pulled" data-label="Last pulled" data-testid="last-pulled">{last}</td>
                    <td class="num" data-label="Pulls (30 d)" data-testid="pulls-30d">{format::count(row.pulls_30d.unwrap_or(0) as usize)}</td>
                }
            })}
            <td class="platforms" data-label="Platforms">{kind}{platforms}{row.error.map(|e| view! { <div class="row-error">{e}</div> })}</td>
            <td data-label="Pull"><CopyButton text=pull/></td>
        </tr>
    }
}
