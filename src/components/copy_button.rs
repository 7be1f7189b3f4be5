//! Copy buttons. The command sits in a selectable box (enough with
//! JavaScript off); the button beside it copies it. The buttons are plain
//! server HTML: one island around them handles every click, so a table of
//! 2,000 rows ships no per-row state to the browser.

use leptos::prelude::*;

/// A command in a selectable box with a "Copy" button. Copying works inside
/// a [`Copyable`] island (or an island that calls [`copy_on_click`]).
#[component]
pub fn CopyButton(text: String) -> impl IntoView {
    view! {
        <span class="pull">
            <code class="pull-cmd">{text}</code>
            <button type="button" class="copy" title="Copy to clipboard">"Copy"</button>
        </span>
    }
}

/// Makes the copy buttons among its children work.
#[island]
pub fn Copyable(children: Children) -> impl IntoView {
    view! { <div class="copyable" on:click=copy_on_click>{children()}</div> }
}

/// A click that bubbled up from a copy button: copy the command beside it
/// and say so on the button.
pub fn copy_on_click(ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button.copy").ok().flatten())
        else {
            return;
        };
        let text = button
            .closest(".pull")
            .ok()
            .flatten()
            .and_then(|p| p.query_selector(".pull-cmd").ok().flatten())
            .and_then(|c| c.text_content());
        if let (Some(text), Some(window)) = (text, web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&text);
            button.set_text_content(Some("Copied"));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
