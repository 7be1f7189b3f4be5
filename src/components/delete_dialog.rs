//! The in-page delete dialog (JavaScript on). It opens at once, resolves
//! the chosen tags' digests and siblings on the server, then shows the same
//! confirmation as the delete page. Without JavaScript the tag form opens
//! that page instead.
//!
//! It is a native modal `<dialog>`: the page behind it is inert, focus
//! stays inside, and `Esc` closes it.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::api::plan_delete;
use crate::components::{DeleteConfirm, ErrorView};

/// `on_close` gets whether anything was deleted.
#[component]
pub fn DeleteDialog(
    repo: String,
    tags: Vec<String>,
    csrf: String,
    on_close: Callback<bool>,
) -> impl IntoView {
    let plan = LocalResource::new(move || plan_delete(repo.clone(), tags.join(",")));
    let changed = RwSignal::new(false);
    let on_deleted = Callback::new(move |_: usize| changed.set(true));
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        }
    });
    // Every way out (the button, Esc) ends in the dialog's `close` event.
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="delete-dialog-title"
            on:close=move |_| on_close.run(changed.get_untracked())>
            <h2 id="delete-dialog-title">"Delete images"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Resolving digests…"</p> }>
                {
                    let csrf = csrf.clone();
                    move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match plan.await {
                                Err(error) => view! { <ErrorView error/> }.into_any(),
                                Ok(plan) => view! { <DeleteConfirm plan csrf in_dialog=true on_deleted/> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
            <p><button type="button" on:click=close>"Close"</button></p>
        </dialog>
    }
}
