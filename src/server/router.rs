//! The axum router: form endpoints, Leptos pages and server functions,
//! static files, and the layers around them.

use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

use super::config::Settings;
use super::state::AppState;
use super::{api_status, forms, guard, limits, logging, metrics, request_id, security_headers};
use crate::app::{shell, App};

/// Connects to the database (migrating it), then wires every route and layer.
pub async fn build(settings: Settings, leptos_options: LeptosOptions) -> Result<Router, String> {
    let cookie_secure = settings.cookie_secure;
    let base = settings.base_path.clone();
    let database = crate::store::Database::connect(&settings.database_url)
        .await
        .map_err(|e| format!("BERTH_DATABASE_URL (--database-url): {e}"))?;
    database.migrate().await?;
    database.check_key(&settings.secret_key).await?;
    let state = AppState::new(settings, leptos_options, database)?;
    metrics::start();
    let routes = generate_route_list(App);
    // Other replicas' deletes reach this process's list caches within a
    // second (PostgreSQL only; see store::changes).
    let lists = state.lists().clone();
    state
        .database()
        .spawn_change_listener(move |change| match change {
            crate::store::Change::Repository(repo) => lists.invalidate_repo(&repo),
            crate::store::Change::Everything => lists.invalidate_all(),
        });

    // SameSite=Strict keeps the cookie off every cross-site request; the
    // guard and the CSRF token back it up for older browsers.
    // Sessions live in the database, so they survive restarts and are
    // shared by replicas; a task deletes expired records (in `registry`
    // mode they hold sealed passwords). `session::current_user` re-saves an
    // active session often enough that the idle expiry really slides.
    let idle = Duration::seconds(
        i64::try_from(state.settings().session_idle.as_secs()).unwrap_or(i64::MAX),
    );
    let store = state.database().sessions();
    store.spawn_expiry(std::time::Duration::from_secs(60));
    super::housekeeping::spawn(&state);
    state.indexer().spawn();
    crate::retention::scheduler::spawn(&state);
    let sessions = SessionManagerLayer::new(store)
        .with_name("berth_session")
        .with_same_site(SameSite::Strict)
        .with_http_only(true)
        .with_secure(cookie_secure)
        .with_expiry(Expiry::OnInactivity(idle))
        .with_path(if base.is_empty() {
            "/".to_string()
        } else {
            base.clone()
        });

    let app = Router::new()
        .route("/auth/login", post(forms::login))
        .route("/auth/logout", post(forms::logout))
        .route("/actions/delete", post(forms::delete))
        .route("/actions/remove-tags", post(forms::remove_tags))
        .route("/admin/audit/export", get(super::audit_pages::export))
        .route("/admin/registry/sync", post(forms::sync_index))
        .route(
            "/actions/retention/policy",
            post(super::retention_admin::save_policy),
        )
        .route(
            "/actions/retention/delete-policy",
            post(super::retention_admin::delete_policy),
        )
        .route(
            "/actions/retention/run",
            post(super::retention_admin::start_run),
        )
        .route(
            "/admin/retention/runs/{id}/plan.json",
            get(super::retention_admin::plan_json),
        )
        .route("/download/{*rest}", get(super::file_download::download))
        .route("/events", post(super::events::receive))
        .route("/healthz", get(super::health::healthz))
        .route("/readyz", get(super::health::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/prefs", get(super::prefs::set))
        // The bundle, served precompressed (br/gzip at maximum levels, made
        // by scripts/build.sh) when those files exist, else compressed on
        // the fly like any response.
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                // Unhashed names: revalidate (304) rather than guess.
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                .service(
                    ServeDir::new(format!("{}/pkg", state.leptos_options.site_root))
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost: a dropped request never cuts a render short (see complete.rs).
        .layer(axum::middleware::from_fn(
            super::complete::run_to_completion,
        ))
        .layer(axum::middleware::from_fn(api_status::fix))
        // No form or server-function call of Berth's comes near this.
        .layer(RequestBodyLimitLayer::new(limits::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(security_headers::page_policy))
        // Outside the guard, so a redirect to the login form keeps its route.
        .layer(axum::middleware::from_fn(metrics::note_route));
    let app = super::base_path::mount(app, &base);
    let app = security_headers::apply(app, cookie_secure)
        // Fast levels for pages made per request (a 2,000-tag page is ~2 MB of
        // HTML); the bundle is precompressed at maximum levels instead.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(1)))
        // Outside everything but tracing, so no layer can stall past it.
        .layer(axum::middleware::from_fn(limits::deadline))
        .layer(axum::middleware::from_fn(limits::uri_size))
        .layer(axum::middleware::from_fn(metrics::track))
        // One line per request, in the request's span (id, method, path).
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(logging::request_span)
                .on_request(())
                .on_response(logging::answered)
                .on_failure(()),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_id::assign,
        ))
        .with_state(state);
    Ok(app)
}

/// Leptos options without a Cargo.toml at run time: the site root comes
/// from `LEPTOS_SITE_ROOT` or defaults to `target/site`.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    LeptosOptions::builder()
        .output_name("berth")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .build()
}
