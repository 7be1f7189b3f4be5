use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::routes::safe_next;
use crate::t;

fn message(code: &str) -> String {
    match code {
        "invalid" => t!("login-error-invalid"),
        "unreachable" => t!("login-error-unreachable"),
        "not-registry" => t!("login-error-not-registry"),
        "registry-open" => t!("login-error-registry-open"),
        "foreign-realm" => t!("login-error-foreign-realm"),
        "htpasswd" => t!("login-error-htpasswd"),
        _ => t!("login-error-other"),
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
    // After a failed attempt the username stays typed (never the password).
    let username = if error.is_some() {
        crate::prefs::login_username()
    } else {
        String::new()
    };
    let focus_password = !username.is_empty();
    view! {
        <Title text=t!("page-title", page = t!("login-title"))/>
        <section class="login">
            <h1>{t!("login-title")}</h1>
            <p class="hint">{t!("login-hint")}</p>
            {logged_out.then(|| view! { <p class="notice">{t!("login-logged-out")}</p> })}
            {error.map(|m| view! { <p class="flash error" role="alert">{m}</p> })}
            <form method="post" action=crate::routes::href("/auth/login")>
                <input type="hidden" name="next" value=next/>
                <label>{t!("login-username")}" "<input type="text" name="username" autocomplete="username" required autofocus=!focus_password value=username/></label>
                <label>{t!("login-password")}" "<input type="password" name="password" autocomplete="current-password" required autofocus=focus_password/></label>
                <button type="submit">{t!("login-button")}</button>
            </form>
        </section>
    }
}
