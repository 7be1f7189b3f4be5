use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{get_activity, list_tags};
use crate::components::page_data::ViewerResource;
use crate::components::{ActivityTable, CopyButton, CopyWords, ErrorView, Pager, TagActions};
use crate::format;
use crate::i18n::Fmt;
use crate::model::DialogTexts;
use crate::model::TagRow;
use crate::paging::page_from_query;
use crate::routes::{delete_error_message, repo_path, tag_path};
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
    let title = t!("page-title", page = repo.clone());
    view! {
        <Title text=title/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<span>{repo.clone()}</span></nav>
        <h1>{repo.clone()}</h1>
        {deleted.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">{t!("tags-deleted", n = n)}</p>
        })}
        {removed.filter(|n| *n > 0).map(|n| view! {
            <p class="flash ok" role="status">{t!("tags-removed", n = n)}</p>
        })}
        {delete_error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("tags-loading")}</p> }>
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
                        <h2>{t!("activity-recent")}</h2>
                        <ActivityTable rows=p.rows now/>
                        <p><a href=crate::routes::href("/activity")>{t!("activity-all")}</a></p>
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
    // Every row's words, looked up once for the whole table.
    let words = Arc::new(RowWords::current());
    let copied = words.copy.done.clone();
    view! {
        <p class="count" data-testid="tag-count">{t!("tags-count", n = count)}
            {(signature_count > 0).then(|| format!(" {}", t!("tags-and-signatures", n = signature_count)))}</p>
        <p class="sort">{t!("sort-by")}" " {sort_link(TagSort::Name, t!("sort-name"))} " · " {sort_link(TagSort::Version, t!("sort-version"))} " · " {sort_link(TagSort::Date, t!("sort-date"))}
            {pulls.then(|| view! { " · " {sort_link(TagSort::Pulled, t!("sort-last-pulled"))} " · " {sort_link(TagSort::Pulls, t!("sort-pulls"))} })}
            {signatures_toggle.map(|t| view! { " · " {t} })}</p>
        {(skipped > 0).then(|| view! { <p class="flash error" role="status" data-testid="skipped-names">{t!("tags-skipped", n = skipped)}</p> })}
        {(count == 0).then(|| view! { <p class="empty">{t!("tags-empty")}</p> })}
        <Pager paging base=pager_base.clone() noun=t!("pager-noun-tags")/>
        <TagActions repo=repo.clone() csrf action=delete_action dialog_texts=DialogTexts::current()>
            <table class="tags" data-copied=copied>
                <thead><tr>
                    {can_delete.then(|| view! { <th><span class="sr">{t!("col-select")}</span></th> })}
                    <th>{t!("col-tag")}</th><th>{t!("col-digest")}</th><th>{t!("col-size")}</th><th>{t!("col-created")}</th>
                    {pulls.then(|| view! { <th>{t!("col-last-pulled")}</th><th class="num" title=t!("col-pulls-30d-title")>{t!("col-pulls-30d")}</th> })}
                    <th>{t!("col-platforms")}</th><th>{t!("col-pull")}</th>
                </tr></thead>
                <tbody>
                    {list.rows.into_iter().map(|row| view! { <Row row repo=repo.clone() host=host.clone() now pulls can_delete words=words.clone()/> }).collect_view()}
                </tbody>
            </table>
            <Pager paging base=pager_base.clone() noun=t!("pager-noun-tags")/>
            {can_delete.then(|| view! { <button type="submit" class="danger">{t!("tags-delete-selected")}</button> })}
        </TagActions>
    }
}

/// The words of a tag row, in the reader's language.
struct RowWords {
    fmt: &'static Fmt,
    copy: CopyWords,
    tag: Arc<str>,
    digest: Arc<str>,
    size: Arc<str>,
    created: Arc<str>,
    last_pulled: Arc<str>,
    pulls: Arc<str>,
    platforms: Arc<str>,
    pull: Arc<str>,
    missing: Arc<str>,
    missing_title: Arc<str>,
    attested: Arc<str>,
    attested_title: Arc<str>,
    artifact_title: Arc<str>,
    legacy: Arc<str>,
    legacy_title: Arc<str>,
    signed: Arc<str>,
    has: Arc<str>,
    cosign_tag_for: Arc<str>,
    same_digest: Arc<str>,
    same_digest_title: Arc<str>,
    none_seen: Arc<str>,
    none_seen_title: Arc<str>,
    /// "Select {tag}"
    select: String,
}

impl RowWords {
    fn current() -> Self {
        RowWords {
            fmt: Fmt::current(),
            copy: CopyWords::current(),
            tag: t!("col-tag").into(),
            digest: t!("col-digest").into(),
            size: t!("col-size").into(),
            created: t!("col-created").into(),
            last_pulled: t!("col-last-pulled").into(),
            pulls: t!("col-pulls-30d").into(),
            platforms: t!("col-platforms").into(),
            pull: t!("col-pull").into(),
            missing: t!("badge-missing").into(),
            missing_title: t!("badge-missing-title").into(),
            attested: t!("badge-attested").into(),
            attested_title: t!("badge-attested-title").into(),
            artifact_title: t!("badge-artifact-title").into(),
            legacy: t!("badge-legacy").into(),
            legacy_title: t!("badge-legacy-title").into(),
            signed: t!("badge-signed").into(),
            has: t!("badge-has").into(),
            cosign_tag_for: t!("tags-cosign-tag-for").into(),
            same_digest: t!("tags-same-digest").into(),
            same_digest_title: t!("tags-same-digest-title").into(),
            none_seen: t!("tags-none-seen").into(),
            none_seen_title: t!("tags-none-seen-title").into(),
            select: t!("tags-select", tag = "{tag}"),
        }
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
    words: Arc<RowWords>,
) -> impl IntoView {
    let w = &words;
    let pull = format!("docker pull {host}/{repo}:{}", row.tag);
    let size = match (row.is_index, row.size) {
        (false, Some(s)) => w.fmt.size(s),
        _ => String::new(),
    };
    let per_platform = row.is_index.then(|| {
        row.platforms
            .iter()
            .map(|p| {
                let size = if p.missing {
                    w.missing.to_string()
                } else {
                    p.size.map(|s| w.fmt.size(s)).unwrap_or_else(|| "?".into())
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
                    {p.attested.then(|| view! { <span class="badge attested" title=w.attested_title.clone()>{w.attested.clone()}</span> })}
                    {p.missing.then(|| view! { <span class="badge missing" title=w.missing_title.clone()>{w.missing.clone()}</span> })}
                </span>
            }
        })
        .collect_view();
    let kind = row
        .artifact
        .clone()
        .map(|a| view! { <span class="badge artifact" title=w.artifact_title.clone()>{a}</span> }.into_any())
        .or_else(|| row.legacy.then(|| view! { <span class="badge legacy" title=w.legacy_title.clone()>{w.legacy.clone()}</span> }.into_any()));
    let signed = (!row.signatures.is_empty()).then(|| {
        let kinds: Vec<String> = row.signatures.iter().map(|s| s.kind.clone()).collect();
        let title = row.signatures.iter().map(|s| s.tag.clone()).collect::<Vec<_>>().join("\n");
        let label = if kinds.iter().any(|k| k == "signature") { &w.signed } else { &w.has };
        view! { <span class="badge signed" title=title data-testid="signed">{format!("{label}: {}", kinds.join(" · "))}</span> }
    });
    let signature_of = row.signature_of.clone().map(|d| {
        view! { <div class="signature-of">{w.cosign_tag_for.clone()}" " <code>{format::short_digest(&d)}</code></div> }
    });
    let created = row.created.map(
        |t| view! { <time>{w.fmt.date(t)}<br/><small>{w.fmt.relative(now, t)}</small></time> },
    );
    let shared = (!row.shares_digest_with.is_empty()).then(|| {
        view! { <div class="shared" title=w.same_digest_title.clone()>{w.same_digest.clone()}" " {row.shares_digest_with.join(", ")}</div> }
    });
    view! {
        <tr data-tag=row.tag.clone()>
            {can_delete.then(|| view! { <td class="select"><input type="checkbox" name="tag" value=row.tag.clone() aria-label=w.select.replace("{tag}", &row.tag)/></td> })}
            <td class="tag" data-label=w.tag.clone()><a href=crate::routes::href(&tag_path(&repo, &row.tag))>{row.tag.clone()}</a>{signed}{shared}{signature_of}</td>
            <td data-label=w.digest.clone()><code title=row.digest.clone()>{format::short_digest(&row.digest)}</code></td>
            <td class="size" data-label=w.size.clone()>{size}{per_platform}</td>
            <td data-label=w.created.clone()>{created}</td>
            {pulls.then(|| {
                let last = match row.last_pulled {
                    Some(t) => view! { <time>{w.fmt.relative(now, t)}</time> }.into_any(),
                    None => view! { <span class="muted" title=w.none_seen_title.clone()>{w.none_seen.clone()}</span> }.into_any(),
                };
                view! {
                    <td class="pulled" data-label=w.last_pulled.clone() data-testid="last-pulled">{last}</td>
                    <td class="num" data-label=w.pulls.clone() data-testid="pulls-30d">{w.fmt.count(row.pulls_30d.unwrap_or(0) as usize)}</td>
                }
            })}
            <td class="platforms" data-label=w.platforms.clone()>{kind}{platforms}{row.error.map(|e| view! { <div class="row-error">{e}</div> })}</td>
            <td data-label=w.pull.clone()><CopyButton text=pull words=w.copy.clone()/></td>
        </tr>
    }
}
