//! The repository filter (an island). Without JavaScript it is a GET form
//! that the server answers over the whole catalog; with it, typing hides
//! the server-rendered rows on this page that do not match, and the count
//! follows. The names are never sent twice: the island reads the list
//! from the page (`li[data-repo]`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The filter's words, made on the server in the reader's language (the
/// island has no translations).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterWords {
    pub placeholder: String,
    pub button: String,
    /// "12 repositories"
    pub all: String,
    /// "{count} of 12 repositories": `{count}` is filled as you type.
    pub some: String,
}

impl FilterWords {
    pub fn for_total(total: usize) -> Self {
        use crate::t;
        FilterWords {
            placeholder: t!("repos-filter-placeholder"),
            button: t!("filter-button"),
            all: t!("repos-count-all", total = total),
            some: t!("repos-count-some", count = "{count}", total = total),
        }
    }
}

/// "12 repositories", or "3 of 12 repositories" when a filter (the
/// server's over the whole catalog, or the live one over this page)
/// narrowed them. A page cut by `BERTH_MAX_ROWS` alone is not a filter: the
/// pager says which rows it holds.
pub fn repo_count(
    words: &FilterWords,
    shown: usize,
    on_page: usize,
    matched: usize,
    total: usize,
) -> String {
    let count = if shown < on_page { shown } else { matched };
    if count == total {
        words.all.clone()
    } else {
        words.some.replace("{count}", &crate::format::count(count))
    }
}

#[island]
pub fn RepoFilter(
    /// The form's target (the repository list, under the base path).
    action: String,
    /// The server's filter, `q`.
    initial: String,
    /// Rows on this page, rows the server's filter matched, whole catalog.
    on_page: usize,
    matched: usize,
    total: usize,
    words: FilterWords,
) -> impl IntoView {
    let shown = RwSignal::new(on_page);
    let (placeholder, button) = (words.placeholder.clone(), words.button.clone());
    let on_input = move |ev: leptos::ev::Event| shown.set(show_matching(&event_target_value(&ev)));
    view! {
        <form method="get" action=action class="filter" role="search">
            <input type="search" name="q" placeholder=placeholder.clone() aria-label=placeholder
                value=initial on:input=on_input/>
            <button type="submit">{button}</button>
        </form>
        <p class="count" data-testid="repo-count">{move || repo_count(&words, shown.try_get().unwrap_or(on_page), on_page, matched, total)}</p>
    }
}

/// Hides the rows (and namespaces left empty) that do not contain the
/// needle; returns how many rows stay visible.
fn show_matching(needle: &str) -> usize {
    #[cfg(feature = "hydrate")]
    {
        // Names are lowercase ASCII (the distribution spec's grammar), so
        // ASCII case folding is enough and keeps Unicode tables out of the
        // WASM.
        let needle = needle.trim().to_ascii_lowercase();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return 0;
        };
        let mut visible = 0;
        let Ok(sections) = doc.query_selector_all(".groups section.namespace") else {
            return 0;
        };
        for i in 0..sections.length() {
            let Some(section) = sections.item(i).and_then(element) else {
                continue;
            };
            let mut in_section = 0;
            if let Ok(rows) = section.query_selector_all("li[data-repo]") {
                for j in 0..rows.length() {
                    let Some(row) = rows.item(j).and_then(element) else {
                        continue;
                    };
                    let name = row.get_attribute("data-repo").unwrap_or_default();
                    let hit = needle.is_empty() || name.to_ascii_lowercase().contains(&needle);
                    let _ = row.toggle_attribute_with_force("hidden", !hit);
                    in_section += usize::from(hit);
                }
            }
            let _ = section.toggle_attribute_with_force("hidden", in_section == 0);
            visible += in_section;
        }
        visible
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = needle;
        0
    }
}

#[cfg(feature = "hydrate")]
fn element(node: web_sys::Node) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    node.dyn_into().ok()
}

#[cfg(test)]
mod tests {
    use super::{repo_count, FilterWords};

    #[test]
    fn counts_say_filtered_only_when_a_filter_narrowed_them() {
        let words = |total| FilterWords {
            all: format!("{total} repositories"),
            some: format!("{{count}} of {total} repositories"),
            ..FilterWords::default()
        };
        assert_eq!(repo_count(&words(4), 4, 4, 4, 4), "4 repositories");
        assert_eq!(repo_count(&words(4), 2, 2, 2, 4), "2 of 4 repositories");
        // A page cut by BERTH_MAX_ROWS is not a filter.
        assert_eq!(
            repo_count(&words(12_345), 5_000, 5_000, 12_345, 12_345),
            "12345 repositories"
        );
        // The live filter narrowed this page; counts are grouped.
        assert_eq!(
            repo_count(&words(12_345), 3, 5_000, 12_345, 12_345),
            "3 of 12345 repositories"
        );
        assert_eq!(
            repo_count(&words(9_999), 1_234, 5_000, 5_000, 9_999),
            "1,234 of 9999 repositories"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn words_come_from_the_translations() {
        let en = FilterWords::for_total(1);
        assert_eq!(en.all, "1 repository");
        let en = FilterWords::for_total(12_345);
        assert_eq!(en.all, "12,345 repositories");
        assert_eq!(en.some, "{count} of 12,345 repositories");
    }
}
