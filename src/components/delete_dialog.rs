//! The in-page delete dialog (JavaScript on). It opens at once, resolves
//! the chosen tags' digests and siblings on the server, then shows the same
//! confirmation as the delete page. Without JavaScript the tag form opens
//! that page instead.
//!
//! It is a native modal `<dialog>`: the page behind it is inert, focus
//! stays inside, and `Esc` closes it.

use leptos::either::Either;
use leptos::html::Dialog;
use leptos::prelude::*;

use crate::api::plan_delete;
use crate::components::{DeleteConfirm, ErrorView};
use crate::error::AppError;
use crate::model::{DeletePlan, DialogTexts};

/// `on_close` gets whether anything was deleted.
#[component]
pub fn DeleteDialog(
    repo: String,
    tags: Vec<String>,
    csrf: String,
    texts: DialogTexts,
    on_close: Callback<bool>,
) -> impl IntoView {
    let DialogTexts {
        title,
        resolving,
        close: close_label,
    } = texts;
    // A plain task and signal rather than a resource under <Suspense>: the
    // dialog only ever lives in the browser, and this keeps the async
    // rendering machinery out of the WASM.
    let plan = RwSignal::new(None::<Result<DeletePlan, AppError>>);
    leptos::task::spawn_local(async move {
        plan.set(Some(plan_delete(repo, tags.join(",")).await));
    });
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
    let body = move || match plan.try_get().flatten() {
        None => Either::Left(view! { <p class="loading">{resolving.clone()}</p> }),
        Some(result) => Either::Right(match result {
            Err(error) => Either::Left(view! { <ErrorView error/> }),
            Ok(plan) => Either::Right(
                view! { <DeleteConfirm plan csrf=csrf.clone() in_dialog=true on_deleted/> },
            ),
        }),
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="delete-dialog-title"
            on:close=move |_| on_close.run(changed.get_untracked())
            on:keydown=move |ev| {
                if let Some(d) = dialog.get_untracked() {
                    keep_tab_inside(&d, &ev);
                }
            }>
            <h2 id="delete-dialog-title">{title}</h2>
            {body}
            <p><button type="button" on:click=close>{close_label}</button></p>
        </dialog>
    }
}

/// A modal dialog makes the page inert, but Tab past its last control
/// still leaves for the browser's own UI: wrap around instead.
#[allow(unused_variables)]
fn keep_tab_inside(dialog: &leptos::web_sys::HtmlDialogElement, ev: &leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.key() != "Tab" {
            return;
        }
        let Ok(nodes) = dialog.query_selector_all(
            "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled])",
        ) else {
            return;
        };
        let controls: Vec<web_sys::HtmlElement> = (0..nodes.length())
            .filter_map(|i| nodes.item(i))
            .filter_map(|n| n.dyn_into().ok())
            .collect();
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let is = |e: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>())
        };
        let inside = active
            .as_ref()
            .is_some_and(|a| dialog.contains(Some(a.unchecked_ref())));
        if ev.shift_key() && (is(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (is(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
    }
}
