use leptos::prelude::*;

/// A `docker pull` command in a selectable box, with a button that copies
/// it (the box alone still works with JavaScript off).
#[component]
pub fn CopyButton(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let to_copy = text.clone();
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&to_copy);
                copied.set(true);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &to_copy;
    };
    view! {
        <span class="pull">
            <code class="pull-cmd">{text}</code>
            <button type="button" class="copy" on:click=on_click title="Copy to clipboard">
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </span>
    }
}
