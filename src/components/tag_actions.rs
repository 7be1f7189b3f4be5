//! The tag table's interactive shell (an island): copy buttons, and with
//! "Delete selected…" the in-page delete dialog. The table itself is server
//! HTML passed in as children; the ticked tags are read from the form when
//! it is submitted, so no row is sent to the browser twice.

use leptos::prelude::*;

use crate::components::copy_button::copy_on_click;
use crate::components::DeleteDialog;
use crate::model::DialogTexts;

#[island]
pub fn TagActions(
    repo: String,
    csrf: String,
    /// The no-JavaScript target of the form: the delete page.
    action: String,
    /// The dialog's words, in the reader's language (made on the server).
    dialog_texts: DialogTexts,
    children: Children,
) -> impl IntoView {
    // The tags in the open dialog; `None` while it is closed.
    let chosen = RwSignal::new(None::<Vec<String>>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // "Compare" goes to its page as a plain GET.
        if by_compare_button(&ev) {
            return;
        }
        ev.prevent_default();
        let tags = ticked_tags(&ev);
        if !tags.is_empty() {
            chosen.set(Some(tags));
        }
    };
    let dialog = move || {
        // try_get: a request dropped mid-render disposes the signal first.
        chosen.try_get().flatten().map(|tags| {
            let on_close = Callback::new(move |changed: bool| {
                chosen.set(None);
                // The table is server HTML: after a delete, load it afresh.
                if changed {
                    reload();
                }
            });
            view! { <DeleteDialog repo=repo.clone() tags csrf=csrf.clone() texts=dialog_texts.clone() on_close/> }
        })
    };
    // Compare needs exactly two ticked, delete at least one: the buttons
    // say so by being disabled until then (without JavaScript the pages
    // they lead to say what was wrong).
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            sync_buttons(&form);
        }
    });
    let on_change = move |_: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get_untracked() {
            sync_buttons(&form);
        }
    };
    view! {
        <div class="tag-actions" on:click=copy_on_click>
            <form method="get" action=action class="tags-form" on:submit=on_submit on:change=on_change node_ref=form_ref>
                {children()}
            </form>
            {dialog}
        </div>
    }
}

/// Enables "Compare" for exactly two ticked tags and "Delete" for one or
/// more.
#[cfg(feature = "hydrate")]
fn sync_buttons(form: &web_sys::HtmlFormElement) {
    {
        use wasm_bindgen::JsCast;
        let ticked = form
            .query_selector_all("input[name=tag]:checked")
            .map(|l| l.length())
            .unwrap_or(0);
        let set = |selector: &str, disabled: bool| {
            if let Ok(Some(b)) = form.query_selector(selector) {
                if let Ok(b) = b.dyn_into::<web_sys::HtmlButtonElement>() {
                    b.set_disabled(disabled);
                }
            }
        };
        set("button[data-compare]", ticked != 2);
        set("button[data-delete]", ticked == 0);
    }
}

/// The values of the ticked `tag` checkboxes in the submitted form.
fn ticked_tags(ev: &leptos::ev::SubmitEvent) -> Vec<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return Vec::new();
        };
        let Ok(boxes) = form.query_selector_all("input[name=tag]:checked") else {
            return Vec::new();
        };
        (0..boxes.length())
            .filter_map(|i| boxes.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        Vec::new()
    }
}

fn by_compare_button(ev: &leptos::ev::SubmitEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        ev.submitter()
            .is_some_and(|b| b.has_attribute("data-compare"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

fn reload() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
