use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::search;
use crate::components::{ErrorView, LongName};
use crate::format::short_digest_str;
use crate::i18n::Fmt;
use crate::model::{SearchGroup, SearchResults};
use crate::routes::{href, repo_path, tag_path};
use crate::t;

/// `/search?q=…`: tags across the whole registry, from the index, grouped
/// by repository. A plain GET form, so it works without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let q = use_query_map().get_untracked().get("q").unwrap_or_default();
    let asked = !q.trim().is_empty();
    view! {
        <Title text=t!("page-title", page = t!("search-title"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("search-title")}</span></nav>
        <h1>{t!("search-title")}</h1>
        <form method="get" action=href("/search") class="filter search-form" role="search" data-testid="search-form">
            <label for="search-page-q" class="visually-hidden">{t!("search-label")}</label>
            <input id="search-page-q" type="search" name="q" value=q.clone() maxlength="256"
                placeholder=t!("search-placeholder") autocomplete="off"/>
            <button type="submit">{t!("search-button")}</button>
        </form>
        <p class="hint" data-testid="search-help">{t!("search-help")}</p>
        {asked.then(|| view! {
            <Suspense fallback=|| view! { <p class="loading">{t!("search-loading")}</p> }>
                {move || {
                    let q = q.clone();
                    Suspend::new(async move {
                        match search(q).await {
                            Err(error) => view! { <ErrorView error/> }.into_any(),
                            Ok(found) => view! { <Results found/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        })}
    }
}

#[component]
fn Results(found: SearchResults) -> impl IntoView {
    let fmt = Fmt::current();
    let freshness = if !found.index_enabled {
        t!("search-index-off")
    } else if found.synced_ms == 0 {
        t!("search-index-never")
    } else {
        t!(
            "search-index-synced",
            when = fmt.relative(found.now, found.synced_ms / 1000)
        )
    };
    let summary = t!(
        "search-summary",
        tags = found.shown,
        repositories = found.groups.len()
    );
    let now = found.now;
    view! {
        <p class="summary" data-testid="search-summary">{summary}{found.truncated.then(|| format!(" {}", t!("search-truncated", max = crate::model::SEARCH_MAX_SHOWN)))}</p>
        <p class="hint" data-testid="search-freshness">{freshness}</p>
        {(!found.repositories.is_empty()).then(|| view! {
            <RepositoriesNamed names=found.repositories.clone() more=found.repositories_more/>
        })}
        {if found.groups.is_empty() && found.repositories.is_empty() {
            view! { <p class="empty" data-testid="search-empty">{t!("search-empty")}</p> }.into_any()
        } else {
            found.groups.into_iter().map(|g| view! { <Group group=g now/> }).collect_view().into_any()
        }}
    }
}

/// Repositories whose name matches, from the catalog.
#[component]
fn RepositoriesNamed(names: Vec<String>, more: bool) -> impl IntoView {
    view! {
        <section class="search-group search-repositories" data-testid="search-repositories">
            <h2>{t!("search-repositories", n = names.len())}</h2>
            <ul class="plain">
                {names.into_iter().map(|n| view! {
                    <li data-repository=n.clone()><a href=href(&repo_path(&n))><LongName name=n.clone()/></a></li>
                }).collect_view()}
            </ul>
            {more.then(|| view! { <p class="hint">{t!("search-repositories-more", max = crate::model::SEARCH_MAX_REPOS)}</p> })}
        </section>
    }
}

#[component]
fn Group(group: SearchGroup, now: i64) -> impl IntoView {
    let fmt = Fmt::current();
    let repo = group.repository;
    let rows = group
        .hits
        .into_iter()
        .map(|h| {
            let kind = h.kind.clone();
            let kind_label = kind_label(&kind);
            let size = h.size.map(|s| fmt.size(s)).unwrap_or_default();
            let created = h
                .created
                .map(|c| fmt.relative(now, c))
                .unwrap_or_default();
            let platforms = h
                .platforms
                .iter()
                .map(|p| view! { <span class="badge">{p.clone()}</span> })
                .collect_view();
            view! {
                <tr data-hit=format!("{repo}:{}", h.tag)>
                    <td><a href=href(&tag_path(&repo, &h.tag))><LongName name=h.tag.clone()/></a></td>
                    <td><code title=h.digest.clone()>{short_digest_str(&h.digest).to_string()}</code></td>
                    <td>{(!kind.is_empty()).then(|| view! { <span class=format!("badge kind-{kind}")>{kind_label}</span> })}
                        {(!h.artifact.is_empty()).then(|| view! { " "<span class="artifact-label">{h.artifact.clone()}</span> })}</td>
                    <td>{platforms}</td>
                    <td class="num">{size}</td>
                    <td>{created}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="search-group" data-repository=repo.clone()>
            <h2><a href=href(&repo_path(&repo))><LongName name=repo.clone()/></a></h2>
            <table class="search-hits">
                <thead><tr>
                    <th>{t!("col-tag")}</th><th>{t!("col-digest")}</th><th>{t!("col-kind")}</th>
                    <th>{t!("col-platforms")}</th><th class="num">{t!("col-size")}</th><th>{t!("col-created")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// A manifest kind as the UI names it.
fn kind_label(kind: &str) -> String {
    match kind {
        "image" => t!("kind-image"),
        "index" => t!("kind-index"),
        "artifact" => t!("kind-artifact"),
        "signature" => t!("kind-signature"),
        "attestation" => t!("kind-attestation"),
        "legacy" => t!("kind-legacy"),
        _ => t!("kind-other"),
    }
}
