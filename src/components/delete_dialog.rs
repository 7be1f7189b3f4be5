//! The in-page delete dialog (JavaScript on). It opens at once, resolves
//! the chosen tags' digests and siblings on the server, then shows the same
//! confirmation as the delete page. Without JavaScript the tag form opens
//! that page instead.

use leptos::prelude::*;

use crate::api::plan_delete;
use crate::components::{DeleteConfirm, ErrorView};

#[component]
pub fn DeleteDialog(
    repo: String,
    tags: Vec<String>,
    csrf: String,
    on_close: Callback<()>,
) -> impl IntoView {
    let plan = LocalResource::new(move || plan_delete(repo.clone(), tags.join(",")));
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="delete-dialog-title">
                <h2 id="delete-dialog-title">"Delete images"</h2>
                <Suspense fallback=|| view! { <p class="loading">"Resolving digests…"</p> }>
                    {
                        let csrf = csrf.clone();
                        move || {
                            let csrf = csrf.clone();
                            Suspend::new(async move {
                                match plan.await {
                                    Err(error) => view! { <ErrorView error/> }.into_any(),
                                    Ok(plan) => view! { <DeleteConfirm plan csrf in_dialog=true/> }.into_any(),
                                }
                            })
                        }
                    }
                </Suspense>
                <p><button type="button" on:click=move |_| on_close.run(())>"Close"</button></p>
            </div>
        </div>
    }
}
