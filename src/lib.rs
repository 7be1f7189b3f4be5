//! Berth: a web UI for registry:2.

// Leptos view types nest deeply; the hydrate build needs the headroom.
#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod components;
pub mod dockerfile;
pub mod error;
pub mod format;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod paging;
pub mod prefs;
pub mod pull_command;
pub mod routes;
pub mod sort;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod layers;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Server functions live under the base path too.
    let base = routes::client_base();
    if !base.is_empty() {
        let _ = leptos::server_fn::client::try_set_server_url(base);
    }
    // Islands: the page is server HTML; Berth's loader script
    // (components/island_loader.js) wakes each `<leptos-island>` after this
    // returns, and marks the body when the last one is live.
    leptos::mount::hydrate_islands();
}
