//! A registry that is down, not a registry, or refuses deletes.

use crate::pages::text;
use crate::support::{Env, TestBerth};

/// An HTTP server that answers 404 to everything, like a web server that
/// is not a registry.
pub async fn not_a_registry_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "nothing here") });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_disabled_in_the_registry_is_explained() {
    let env = Env::start(false, &[]).await;
    let a = env.admin().await;
    let csrf = a.csrf().await;
    let digest = env.content.alpine_319.digest.clone();
    let form = a
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(
        form.location.as_deref(),
        Some("/r/library/alpine?deleted=0&delete_error=delete-disabled")
    );
    let t = text(&a.get(form.location.as_deref().unwrap()).await.body);
    assert!(t.contains("storage.delete.enabled"), "{t}");
    let api = a
        .delete_via("/api/delete_manifest", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(api.status, 405);
    // Sent in the reader's language, with the same explanation.
    assert!(api.body.contains("\"status\":405"), "{}", api.body);
    assert!(
        api.body.contains("storage.delete.enabled: true"),
        "{}",
        api.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_registry_gives_a_502_page_naming_what_was_tried() {
    let port = crate::support::registry::free_port();
    let url = format!("http://127.0.0.1:{port}");
    // An admin gets the whole story.
    let (_admin_berth, admin) = TestBerth::with_local_admin(&url).await;
    let page = admin.get("/").await;
    assert_eq!(page.status, 502);
    let t = text(&page.body);
    assert!(t.contains("Registry unreachable"), "{t}");
    assert!(t.contains(&format!("127.0.0.1:{port}")), "{t}");
    assert!(t.contains("BERTH_REGISTRY_URL"), "{t}");
    let tags = admin.get("/r/library/alpine").await;
    assert_eq!(tags.status, 502);
    // Anyone else: the same status and heading, no internals, a request id.
    let berth = TestBerth::start(&["--registry-url", &url, "--auth", "none"]).await;
    let resp = berth
        .client()
        .http
        .get(format!("{}/", berth.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    let t = text(&resp.text().await.unwrap());
    assert!(t.contains("Registry unreachable"), "{t}");
    assert!(t.contains(&format!("request id {id}")), "{t}");
    assert!(!t.contains(&port.to_string()), "{t}");
    assert!(!t.contains("connection"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_a_registry_is_named_as_such() {
    let url = not_a_registry_server().await;
    let (_admin_berth, admin) = TestBerth::with_local_admin(&url).await;
    let page = admin.get("/").await;
    assert_eq!(page.status, 502);
    assert!(text(&page.body).contains("is not a Registry API v2 server"));
    let berth = TestBerth::start(&["--registry-url", &url, "--auth", "none"]).await;
    let page = berth.client().get("/").await;
    assert_eq!(page.status, 502);
    assert!(text(&page.body).contains("Not a Registry API v2 server"));
    assert!(!page.body.contains(&url));
    // In registry mode, logging in explains it too.
    let berth = TestBerth::start(&["--registry-url", &url]).await;
    let r = berth.client().login("a", "b").await;
    assert_eq!(
        r.location.as_deref(),
        Some("/login?error=not-registry&next=%2F")
    );
}
