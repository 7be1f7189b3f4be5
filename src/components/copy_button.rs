//! Copy buttons. The command sits in a selectable box (enough with
//! JavaScript off); the button beside it copies it. The buttons are plain
//! server HTML: one island around them handles every click, so a table of
//! 2,000 rows ships no per-row state to the browser.

use std::sync::Arc;

use leptos::prelude::*;

/// The copy button's words, looked up once for a whole table.
#[derive(Clone)]
pub struct CopyWords {
    pub title: Arc<str>,
    pub label: Arc<str>,
    /// What the button says after copying; goes on a container as
    /// `data-copied`, where the click handler finds it.
    pub done: Arc<str>,
}

impl CopyWords {
    pub fn current() -> Self {
        CopyWords {
            title: crate::t!("copy-title").into(),
            label: crate::t!("copy-button").into(),
            done: crate::t!("copy-done").into(),
        }
    }
}

/// A command in a selectable box with a "Copy" button. Copying works inside
/// a [`Copyable`] island (or an island that calls [`copy_on_click`]), below
/// an element with `data-copied`.
#[component]
pub fn CopyButton(text: String, words: CopyWords) -> impl IntoView {
    view! {
        <span class="pull">
            <code class="pull-cmd">{text}</code>
            <button type="button" class="copy" title=words.title>{words.label}</button>
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
            // The server wrote the word in the reader's language.
            let done = button
                .closest("[data-copied]")
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute("data-copied"));
            button.set_text_content(Some(done.as_deref().unwrap_or("✓")));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
