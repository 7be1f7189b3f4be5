use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_activity;
use crate::components::{ActivityTable, ErrorView, EventsOff, Pager};
use crate::paging::page_from_query;
use crate::t;

/// `/activity`: recent pushes, pulls and deletes the registry reported, in
/// the repositories the viewer can list; filtered by action with a GET form.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = use_query_map();
    let action = Memo::new(move |_| query.read().get("action").unwrap_or_default());
    let page = Memo::new(move |_| page_from_query(query.read().get("page").as_deref()));
    let data = Resource::new(
        move || (action.get(), page.get()),
        |(action, page)| get_activity(Some(action), None, Some(page)),
    );
    let chosen = action.get_untracked();
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
            <button type="submit">{t!("filter-button")}</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">{t!("activity-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(p) if !p.events_on => view! { <EventsOff/> }.into_any(),
                    Ok(p) => {
                        let base = match action.get_untracked().as_str() {
                            "" => "/activity".to_string(),
                            a => format!("/activity?action={a}"),
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
