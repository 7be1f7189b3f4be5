//! The HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment, WildcardSegment};

use crate::api::get_viewer;
use crate::components::page_data::ViewerResource;
use crate::components::{AppHeader, IslandScripts, KeyboardShortcuts};
use crate::pages::{
    ActivityPage, AuditPage, LoginPage, NotFound, RegistryInfoPage, RepoRouter, ReposPage,
    RetentionPage, RetentionRunPage, SearchPage, StoragePage,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Under BERTH_BASE_PATH the bundle, the icon and the server functions
    // live under the prefix too; the meta tag tells the browser side.
    let base = crate::routes::base();
    // The theme the visitor chose, rendered by the server: no flash.
    let theme = crate::prefs::theme().attr();
    // The language, chosen once per request (cookie, else Accept-Language)
    // and read by every `t!` below.
    let locale = crate::i18n::locale();
    provide_context(locale);
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag() data-theme=theme>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="berth-base" content=base.clone()/>
                <link rel="stylesheet" id="leptos" href=format!("{base}/pkg/berth.css")/>
                // Berth's own loader: the WASM comes after the first paint.
                <IslandScripts options root=base.clone()/>
                <link rel="icon" type="image/svg+xml" href=format!("{base}/favicon.svg")/>
                // Copy buttons need JavaScript; without it the command is
                // selectable text, and no button pretends otherwise.
                <noscript><style>".copy { display: none; }"</style></noscript>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    // The page's policy names the nonce Leptos puts on its scripts; it is
    // read here, where the request's context is certain to be in place.
    #[cfg(feature = "ssr")]
    crate::server::security_headers::set_page_policy();
    provide_meta_context();
    provide_context(ViewerResource(Resource::new(|| (), |_| get_viewer())));

    // Async SSR: the page is rendered whole before it is sent, so an error
    // can still set the HTTP status (404, 502) of the response.
    view! {
        <Title text="Berth"/>
        // The router runs on the server only: pages are server components,
        // and links are plain links.
        <Router>
            <AppHeader/>
            <KeyboardShortcuts/>
            <main>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("") view=ReposPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("registry")) view=RegistryInfoPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=AuditPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("retention")) view=RetentionPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("retention"), StaticSegment("runs"), ParamSegment("id")) view=RetentionRunPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("activity") view=ActivityPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("storage") view=StoragePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("r"), WildcardSegment("rest")) view=RepoRouter ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
