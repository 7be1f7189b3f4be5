use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::plan_delete;
use crate::components::page_data::ViewerResource;
use crate::components::{DeleteConfirmIsland, ErrorView};
use crate::routes::repo_path;
use crate::t;

/// The confirmation step: which manifests go, and every other tag that
/// goes with them. Nothing is deleted until the user confirms here.
#[component]
pub fn DeletePage(repo: String) -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    // `tag=a&tag=b` from the checkbox form, or `tags=a,b` from links.
    let mut chosen: Vec<String> = q.get_all("tag").unwrap_or_default();
    if let Some(list) = q.get("tags") {
        chosen.extend(list.split(',').filter(|t| !t.is_empty()).map(String::from));
    }
    let viewer = expect_context::<ViewerResource>().0;
    let key = (repo.clone(), chosen.join(","));
    let plan = Resource::new(move || key.clone(), |(r, t)| plan_delete(r, t));
    view! {
        <Title text=t!("page-title", page = t!("delete-confirm-title"))/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<a href=crate::routes::href(&repo_path(&repo))>{repo.clone()}</a>" / "<span>{t!("delete-crumb")}</span></nav>
        <h1>{t!("delete-title")}</h1>
        <Suspense fallback=|| view! { <p class="loading">{t!("delete-resolving")}</p> }>
            {move || Suspend::new(async move {
                let csrf = viewer.await.map(|v| v.csrf).unwrap_or_default();
                match plan.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(plan) => view! { <DeleteConfirmIsland plan csrf/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
