//! The script that brings the islands to life (see `island_loader.js`).
//! It replaces Leptos' `<HydrationScripts>`, which preloads the WASM from
//! `<head>` at high priority; on a slow link that preload competes with the
//! page's own HTML and stylesheet.

use leptos::prelude::*;

const LOADER: &str = include_str!("island_loader.js");

/// The bundle's file names, as cargo-leptos writes them into the site's
/// `pkg` directory.
fn bundle_urls(options: &LeptosOptions, root: &str) -> (String, String) {
    let pkg = format!("{root}/{}", options.site_pkg_dir);
    let name = options.output_name.as_ref();
    // cargo-leptos names the WASM after the output name; a plain
    // wasm-bindgen build adds "_bg".
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        format!("{pkg}/{name}.wasm")
    } else {
        format!("{pkg}/{name}_bg.wasm")
    };
    (format!("{pkg}/{name}.js"), wasm)
}

/// `<script type=module>` calling the loader with the bundle's URLs, under
/// the page's CSP nonce.
#[component]
pub fn IslandScripts(options: LeptosOptions, root: String) -> impl IntoView {
    // Islands mode: nothing outside an island hydrates.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let (js, wasm) = bundle_urls(&options, &root);
    let nonce = leptos::nonce::use_nonce();
    // JSON string literals are valid JavaScript and escape quotes; "</"
    // is broken up so a path can never close the script element.
    let quote = |s: &str| {
        serde_json::to_string(s)
            .unwrap_or_else(|_| "\"\"".into())
            .replace("</", "<\\/")
    };
    let call = format!("{LOADER}({}, {});", quote(&js), quote(&wasm));
    view! { <script type="module" nonce=nonce inner_html=call></script> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_base_path() {
        let options = LeptosOptions::builder().output_name("berth").build();
        let (js, wasm) = bundle_urls(&options, "/ui");
        assert_eq!(js, "/ui/pkg/berth.js");
        assert!(wasm == "/ui/pkg/berth.wasm" || wasm == "/ui/pkg/berth_bg.wasm");
    }
}
