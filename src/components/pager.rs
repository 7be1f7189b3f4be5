use leptos::prelude::*;

use crate::paging::Paging;

/// Previous / next links for a list cut into pages on the server, and a
/// line that says why it is cut. Nothing when the list fits on one page.
/// `base` is the list's app path with every query parameter but `page`;
/// the base path is added here.
#[component]
pub fn Pager(paging: Paging, base: String, noun: &'static str) -> impl IntoView {
    paging.is_paged().then(|| {
        let join = if base.contains('?') { '&' } else { '?' };
        let link = move |page: usize| crate::routes::href(&format!("{base}{join}page={page}"));
        let prev = (paging.page > 1).then(|| {
            view! { <a href=link(paging.page - 1) rel="prev" data-testid="page-prev">"← Previous"</a> }
        });
        let next = (paging.page < paging.pages).then(|| {
            view! { <a href=link(paging.page + 1) rel="next" data-testid="page-next">"Next →"</a> }
        });
        view! {
            <nav class="pager" aria-label="Pages" data-testid="pager">
                <span data-testid="page-info">{format!(
                    "{} · page {} of {}",
                    paging.describe(noun),
                    paging.page,
                    paging.pages
                )}</span>
                " " {prev} " " {next}
                <small class="pager-why">{format!(
                    "Longer than {} rows (BERTH_MAX_ROWS), so Berth shows it in pages.",
                    crate::format::count(paging.per_page)
                )}</small>
            </nav>
        }
    })
}
