use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_activity;
use crate::components::{ActivityTable, ErrorView, EventsOff, Pager};
use crate::paging::page_from_query;

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
    let option = move |value: &'static str, label: &'static str| {
        view! { <option value=value selected=chosen == value>{label}</option> }
    };
    view! {
        <Title text="Activity · Berth"/>
        <nav class="crumbs"><a href=crate::routes::href("/")>"Repositories"</a>" / "<span>"Activity"</span></nav>
        <h1>"Activity"</h1>
        <form method="get" action=crate::routes::href("/activity") class="filter" data-testid="activity-filter">
            <label>"Action "
                <select name="action">
                    {option("", "any")}{option("push", "push")}{option("pull", "pull")}{option("delete", "delete")}
                </select>
            </label>
            <button type="submit">"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Reading activity…"</p> }>
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
                            <Pager paging=p.paging base noun="Events"/>
                            {if p.rows.is_empty() {
                                view! { <p class="empty" data-testid="activity-empty">"No activity reported yet."</p> }.into_any()
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
