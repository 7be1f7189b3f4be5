use leptos::prelude::*;

use crate::error::AppError;

/// A readable error page body. On the server it also sets the response's
/// HTTP status, so the status and the page tell the same story.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = axum::http::StatusCode::from_u16(error.status()) {
            resp.set_status(code);
        }
    }
    let login_link = error.status() == 401;
    let texts = error.texts();
    view! {
        <section class="error" role="alert" data-status=error.status()>
            <h1>{texts.title}</h1>
            <p>{texts.message}</p>
            {login_link.then(|| view! { <p><a href=crate::routes::href("/login")>{texts.login}</a></p> })}
            <p><a href=crate::routes::href("/")>{texts.back}</a></p>
        </section>
    }
}
