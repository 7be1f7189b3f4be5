//! Keyboard shortcuts, on every page (an island with no view of its own):
//! `/` focuses the header's search box (else the page's filter box); `j` and `k` move through
//! the rows of the list on the page and focus the row's link, so `Enter`
//! opens it. Keys typed into a field, or with a modifier, are left alone.

use leptos::prelude::*;

#[island]
pub fn KeyboardShortcuts() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        // For the page's lifetime: pages are full loads.
        let _listener = window_event_listener(leptos::ev::keydown, on_key);
    }
}

#[cfg(feature = "hydrate")]
fn on_key(ev: leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.closest("dialog[open]").ok().flatten().is_some()
        });
    if typing {
        return;
    }
    match ev.key().as_str() {
        "/" => {
            if let Some(input) = doc
                .query_selector("input[data-global-search], input[type=search]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                ev.prevent_default();
                let _ = input.focus();
            }
        }
        "j" => move_current(&doc, 1),
        "k" => move_current(&doc, -1),
        _ => {}
    }
}

/// Marks the next (or previous) row as current and focuses its link.
#[cfg(feature = "hydrate")]
fn move_current(doc: &web_sys::Document, step: i32) {
    use wasm_bindgen::JsCast;
    let Ok(nodes) = doc.query_selector_all("tr[data-tag], li[data-repo]:not([hidden])") else {
        return;
    };
    let rows: Vec<web_sys::Element> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect();
    if rows.is_empty() {
        return;
    }
    let now = rows.iter().position(|r| r.class_list().contains("current"));
    let next = match now {
        None if step > 0 => 0,
        None => rows.len() - 1,
        Some(i) => (i as i32 + step).clamp(0, rows.len() as i32 - 1) as usize,
    };
    if let Some(i) = now {
        let _ = rows[i].class_list().remove_1("current");
    }
    let row = &rows[next];
    let _ = row.class_list().add_1("current");
    if let Some(link) = row
        .query_selector("a[href]")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}
