use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_activity;
use crate::components::{ActivityTable, ErrorView, EventsOff, Pager};
use crate::paging::page_from_query;
use crate::t;

/// `/activity`: recent pushes, pulls and deletes the registry reported, in
/// the repositories the viewer can list; filtered by action, repository
/// and user with a GET form (cosign and referrers tags on request).
#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let filter = Memo::new(move |_| {
        (
            get("action"),
            get("repository"),
            get("user"),
            get("signatures") == "show",
        )
    });
    let page = Memo::new(move |_| page_from_query(query.read().get("page").as_deref()));
    let data = Resource::new(
        move || (filter.get(), page.get()),
        |((action, repository, user, signatures), page)| {
            get_activity(
                Some(action),
                None,
                Some(repository),
                Some(user),
                Some(signatures),
                Some(page),
            )
        },
    );
    let (chosen, repository, user, signatures) = filter.get_untracked();
    let option = move |value: &'static str, label: String| {
        view! { <option value=value selected=chosen == value>{label}</option> }
    };
    view! {
        <Title text=t!("page-title", page = t!("activity-title"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<span>{t!("activity-title")}</span></nav>
        <h1>{t!("activity-title")}</h1>
        <form method="get" action=crate::routes::href("/activity") class="filter" data-testid="activity-filter">
            <label>{t!("activity-action-label")}" "
                <select name="action">
                    {option("", t!("activity-any"))}{option("push", t!("event-push"))}{option("pull", t!("event-pull"))}{option("delete", t!("event-delete"))}
                </select>
            </label>
            <label>{t!("col-repository")}" "<input type="text" name="repository" value=repository placeholder=t!("activity-repository-placeholder")/></label>
            <label>{t!("col-registry-user")}" "<input type="text" name="user" value=user/></label>
            <label><input type="checkbox" name="signatures" value="show" checked=signatures/>" "{t!("activity-show-signatures")}</label>
            <button type="submit">{t!("filter-button")}</button>
            <a href=crate::routes::href("/activity")>{t!("filter-clear")}</a>
        </form>
        <Transition fallback=|| view! { <p class="loading">{t!("activity-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(p) if !p.events_on => view! { <EventsOff/> }.into_any(),
                    Ok(p) => {
                        // The pager keeps the filter.
                        let (action, repository, user, signatures) = filter.get_untracked();
                        let mut pairs = Vec::new();
                        for (k, v) in [("action", action), ("repository", repository), ("user", user)] {
                            if !v.is_empty() {
                                pairs.push(format!("{k}={}", crate::routes::encode(&v)));
                            }
                        }
                        if signatures {
                            pairs.push("signatures=show".to_string());
                        }
                        let base = if pairs.is_empty() {
                            "/activity".to_string()
                        } else {
                            format!("/activity?{}", pairs.join("&"))
                        };
                        let now = p.now;
                        view! {
                            <Pager paging=p.paging base noun=t!("pager-noun-events")/>
                            {if p.rows.is_empty() {
                                view! { <p class="empty" data-testid="activity-empty">{t!("activity-empty")}</p> }.into_any()
                            } else {
                                view! { <ActivityTable rows=p.rows now/> }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
