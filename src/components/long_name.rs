use leptos::prelude::*;

/// A repository or tag name that may wrap after `/`, `-`, `.` and the like
/// (`<wbr>` between its parts) instead of widening the page or breaking
/// mid-word. Short names are written as they are.
#[component]
pub fn LongName(#[prop(into)] name: String) -> impl IntoView {
    let parts: Vec<String> = crate::format::name_parts(&name)
        .into_iter()
        .map(str::to_string)
        .collect();
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| view! { {p}{(i < last).then(|| view! { <wbr/> })} })
        .collect_view()
}
