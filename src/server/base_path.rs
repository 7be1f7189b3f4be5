//! `BERTH_BASE_PATH`: the whole app under a prefix such as `/ui`, for a
//! reverse proxy that forwards `/ui/…` unchanged. The app is nested, so
//! every handler, page and server function still sees app paths (`/r/x`),
//! and redirects are written as app paths too: one layer here puts their
//! `Location` under the prefix. Pages put links under it with
//! `routes::href`.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::routes;

/// `app` served under `base` (unchanged when `base` is empty). `/` and
/// `base/` redirect to `base`, so a bare host name still finds Berth.
pub fn mount<S: Clone + Send + Sync + 'static>(app: Router<S>, base: &str) -> Router<S> {
    if base.is_empty() {
        return app;
    }
    let app = app.layer(axum::middleware::from_fn_with_state(
        base.to_string(),
        prefix_location,
    ));
    let home = base.to_string();
    let to_home = move || {
        let home = home.clone();
        async move { Redirect::to(&home) }
    };
    Router::new()
        .route("/", get(to_home.clone()))
        .route(&format!("{base}/"), get(to_home))
        .nest(base, app)
}

/// Puts an app path in `Location` under the base path.
async fn prefix_location(State(base): State<String>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let moved = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| routes::under(&base, l));
    if let Some(value) = moved.and_then(|l| HeaderValue::from_str(&l).ok()) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp.into_response()
}
