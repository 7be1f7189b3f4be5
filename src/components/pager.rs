use leptos::prelude::*;

use crate::paging::Paging;
use crate::t;

/// Previous / next links for a list cut into pages on the server, and a
/// line that says why it is cut. Nothing when the list fits on one page.
/// `base` is the list's app path with every query parameter but `page`;
/// the base path is added here.
#[component]
pub fn Pager(paging: Paging, base: String, noun: String) -> impl IntoView {
    paging.is_paged().then(|| {
        let join = if base.contains('?') { '&' } else { '?' };
        let link = move |page: usize| crate::routes::href(&format!("{base}{join}page={page}"));
        let prev = (paging.page > 1).then(|| {
            view! { <a href=link(paging.page - 1) rel="prev" data-testid="page-prev">{t!("pager-previous")}</a> }
        });
        let next = (paging.page < paging.pages).then(|| {
            view! { <a href=link(paging.page + 1) rel="next" data-testid="page-next">{t!("pager-next")}</a> }
        });
        view! {
            <nav class="pager" aria-label=t!("pager-label") data-testid="pager">
                <span data-testid="page-info">{{
                    let r = paging.range();
                    t!("pager-info", noun = noun, first = r.start + 1, last = r.end,
                        total = paging.total, page = paging.page, pages = paging.pages)
                }}</span>
                " " {prev} " " {next}
                <small class="pager-why">{t!("pager-why", rows = paging.per_page)}</small>
            </nav>
        }
    })
}
