//! The header's search box (an island). Without JavaScript it is a GET
//! form to `/search`; with it, typing shows the first matches under the
//! box as you type (the `suggest` server function, after a short pause),
//! with a link to all results. `Esc` closes the list, keeping the text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Characters typed before asking.
const MIN_CHARS: usize = 2;
/// Pause after the last key before asking, in milliseconds.
const PAUSE_MS: u64 = 200;

/// The box's words, made on the server in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchWords {
    pub label: String,
    pub placeholder: String,
    /// "All results for “{q}”": `{q}` is filled as you type.
    pub all: String,
    pub none: String,
}

impl SearchWords {
    pub fn current() -> Self {
        use crate::t;
        SearchWords {
            label: t!("header-search-label"),
            placeholder: t!("search-placeholder"),
            all: t!("search-all-results", q = "{q}"),
            none: t!("search-empty"),
        }
    }
}

/// What the list under the box shows.
#[derive(Clone, Default, PartialEq)]
enum Found {
    #[default]
    Closed,
    /// `repo:tag` pairs; a repository found by its name has no tag.
    Hits(Vec<(String, String)>),
    /// The query is not one the server takes (its own message).
    Refused(String),
}

#[island]
pub fn SearchBox(
    /// The form's target: `/search` under the base path.
    action: String,
    words: SearchWords,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Found::Closed);
    // Only the newest keystroke's answer is shown.
    let asked = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let q = event_target_value(&ev);
        query.set(q.clone());
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if q.trim().chars().count() < MIN_CHARS {
            found.set(Found::Closed);
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != n {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer = crate::api::suggest(q).await;
                    if asked.get_value() == n {
                        found.set(match answer {
                            Ok(hits) => Found::Hits(
                                hits.into_iter()
                                    .map(|h| {
                                        // Neither a repository nor a tag holds a colon.
                                        let (repo, tag) = h.split_once(':').unwrap_or((&h, ""));
                                        (repo.to_string(), tag.to_string())
                                    })
                                    .collect(),
                            ),
                            Err(e) => Found::Refused(e.to_string()),
                        });
                    }
                });
            },
            std::time::Duration::from_millis(PAUSE_MS),
        );
    };
    // The first Esc closes the list and keeps the text (a search field
    // would clear itself); the next one clears it as usual.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && found.with(|f| *f != Found::Closed) {
            ev.prevent_default();
            found.set(Found::Closed);
        }
    };
    let open = move || found.with(|f| *f != Found::Closed);
    let (all, none) = (words.all.clone(), words.none.clone());
    let list = move || {
        let all_link = {
            let q = query.get();
            let href = crate::routes::href(&format!("/search?q={}", crate::routes::encode(&q)));
            let text = all.replace("{q}", q.trim());
            view! { <li class="all"><a href=href>{text}</a></li> }
        };
        let items = match found.get() {
            Found::Closed => Vec::new(),
            Found::Hits(hits) if hits.is_empty() => {
                vec![view! { <li class="none">{none.clone()}</li> }.into_any()]
            }
            Found::Hits(hits) => hits
                .into_iter()
                .map(|(repo, tag)| {
                    if tag.is_empty() {
                        let href = crate::routes::href(&crate::routes::repo_path(&repo));
                        let id = repo.clone();
                        return view! { <li><a href=href data-suggestion=id>{repo}</a></li> }
                            .into_any();
                    }
                    let href = crate::routes::href(&crate::routes::tag_path(&repo, &tag));
                    let id = format!("{repo}:{tag}");
                    view! { <li><a href=href data-suggestion=id>{repo}<span class="sep">":"</span>{tag}</a></li> }
                        .into_any()
                })
                .collect(),
            Found::Refused(message) => vec![view! { <li class="none">{message}</li> }.into_any()],
        };
        view! { {items}{all_link} }
    };
    view! {
        <form method="get" action=action class="global-search" role="search" data-testid="global-search">
            <input type="search" name="q" data-global-search="" maxlength="256" autocomplete="off"
                aria-label=words.label placeholder=words.placeholder
                aria-controls=move || open().then_some("search-suggestions") on:input=on_input on:keydown=on_key/>
            {move || open().then(|| view! {
                <ul id="search-suggestions" class="suggestions" data-testid="search-suggestions">{list()}</ul>
            })}
        </form>
    }
}
