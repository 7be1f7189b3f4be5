use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::pages::{ComparePage, DeletePage, FilesPage, TagPage, TagsPage};
use crate::routes::{parse_repo_route, RepoRoute};

/// `/r/<name>`, `/r/<name>/-/tag/<tag>` and `/r/<name>/-/delete`: names
/// contain slashes, so one wildcard route dispatches on the `/-/` marker.
#[component]
pub fn RepoRouter() -> impl IntoView {
    let params = use_params_map();
    let route =
        Memo::new(move |_| parse_repo_route(&params.read().get("rest").unwrap_or_default()));
    move || match route.get() {
        RepoRoute::Tags(repo) => view! { <TagsPage repo/> }.into_any(),
        RepoRoute::Tag(repo, tag) => view! { <TagPage repo tag/> }.into_any(),
        RepoRoute::Delete(repo) => view! { <DeletePage repo/> }.into_any(),
        RepoRoute::Files(repo, tag) => view! { <FilesPage repo tag/> }.into_any(),
        RepoRoute::Compare(repo) => view! { <ComparePage repo/> }.into_any(),
    }
}
