use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::routes::safe_next;

fn message(code: &str) -> &'static str {
    match code {
        "invalid" => "Wrong username or password.",
        "unreachable" => "Berth could not reach the registry to check your login. Try again, or ask the administrator to check the registry.",
        "not-registry" => "Berth's registry URL does not point at a Registry API v2 server. Ask the administrator to check BERTH_REGISTRY_URL.",
        "registry-open" => "The registry lets anyone in without a password, so it cannot check yours. Ask the administrator to run Berth with BERTH_AUTH=none (read-only browsing) or BERTH_AUTH=htpasswd.",
        "foreign-realm" => "The registry asked Berth to send your password to another server, which Berth does not trust, so your password was not sent anywhere. Ask the administrator to check the registry's token realm (BERTH_TOKEN_REALMS).",
        "htpasswd" => "Berth could not read its htpasswd file. Ask the administrator to check BERTH_HTPASSWD.",
        _ => "Login failed.",
    }
}

/// The login form. It posts to `/auth/login`, which redirects back to the
/// page first asked for.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    let next = safe_next(&q.get("next").unwrap_or_default()).to_string();
    let error = q.get("error").map(|c| message(&c));
    let logged_out = q.get("loggedout").is_some();
    view! {
        <Title text="Log in · Berth"/>
        <section class="login">
            <h1>"Log in"</h1>
            <p class="hint">"Use the username and password you use for docker login."</p>
            {logged_out.then(|| view! { <p class="notice">"You have logged out."</p> })}
            {error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
            <form method="post" action=crate::routes::href("/auth/login")>
                <input type="hidden" name="next" value=next/>
                <label>"Username" <input type="text" name="username" autocomplete="username" required autofocus/></label>
                <label>"Password" <input type="password" name="password" autocomplete="current-password" required/></label>
                <button type="submit">"Log in"</button>
            </form>
        </section>
    }
}
