//! A registry that names another server, in a `Link` header or as its token
//! realm, must not get Berth to send that server anything: not the caller's
//! password, not a token, not a request at all.

use crate::support::fake_server::{answer, FakeServer};
use crate::support::TestBerth;

const SERVICE_USER: &str = "svc";
const SERVICE_PASSWORD: &str = "service-secret";

/// The server a hostile registry points at; it answers everything with a
/// challenge that names itself, as an attacker's server would.
async fn foreign() -> FakeServer {
    FakeServer::start(|_, base| {
        answer(
            401,
            &[(
                "www-authenticate",
                &format!(r#"Bearer realm="{base}/token",service="x""#),
            )],
            "",
        )
    })
    .await
}

/// A registry whose every answer is a 401 that sends clients to `realm`.
async fn challenging_with(realm: String) -> FakeServer {
    FakeServer::start(move |_, _| {
        answer(
            401,
            &[(
                "www-authenticate",
                &format!(r#"Bearer realm="{realm}",service="registry""#),
            )],
            r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
        )
    })
    .await
}

/// Berth browsing as a service account, so every call carries a password.
async fn berth_with_service_account(registry: &str) -> TestBerth {
    TestBerth::start(&[
        "--registry-url",
        registry,
        "--auth",
        "none",
        "--registry-username",
        SERVICE_USER,
        "--registry-password",
        SERVICE_PASSWORD,
    ])
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_link_stops_paging_without_contacting_it() {
    let evil = foreign().await;
    let evil_url = evil.url.clone();
    let registry = FakeServer::start(move |seen, _| match seen.target.as_str() {
        "/v2/" => answer(200, &[], "{}"),
        t if t.starts_with("/v2/_catalog") => answer(
            200,
            &[
                ("content-type", "application/json"),
                (
                    "link",
                    &format!(r#"<{evil_url}/v2/_catalog?last=a&n=1000>; rel="next""#),
                ),
            ],
            r#"{"repositories":["a"]}"#,
        ),
        _ => answer(404, &[], ""),
    })
    .await;
    let berth = berth_with_service_account(&registry.url).await;
    let page = berth.client().get("/").await;
    assert_eq!(page.status, 502, "{}", page.body);
    // A viewer is told what kind of problem it is, without the address.
    assert!(
        page.body.contains("Registry pointed to another server") && !page.body.contains(&evil.url),
        "the page does not name the problem: {}",
        page.body
    );
    // An admin also sees where it pointed.
    let (_admin_berth, admin) = TestBerth::with_local_admin(&registry.url).await;
    let page = admin.get("/").await;
    assert_eq!(page.status, 502);
    assert!(
        page.body.contains("pointed Berth at") && page.body.contains(&evil.url),
        "{}",
        page.body
    );
    assert!(
        evil.seen().is_empty(),
        "the foreign server was contacted: {:?}",
        evil.seen()
    );
    // The registry itself did get the first page, with the credentials.
    assert!(registry.seen().iter().any(|s| s.method == "GET"
        && s.target.starts_with("/v2/_catalog")
        && s.authorization.is_some()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_token_realm_never_gets_the_password() {
    let evil = foreign().await;
    // Another host name for the same machine is another origin.
    let evil_realm = format!("{}/token", evil.url.replace("127.0.0.1", "localhost"));
    let registry = challenging_with(evil_realm).await;
    let berth = TestBerth::start(&["--registry-url", &registry.url, "--auth", "registry"]).await;
    let browser = berth.client();
    let login = browser.login("alice", "alice-password").await;
    assert_eq!(login.status, 303);
    let location = login.location.unwrap_or_default();
    assert!(location.contains("error=foreign-realm"), "{location}");
    let page = browser.get(&location).await;
    assert!(
        page.body.contains("send your password to another server"),
        "{}",
        page.body
    );
    assert!(
        evil.seen().is_empty(),
        "the realm was contacted: {:?}",
        evil.seen()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_realm_is_used() {
    // The same set-up, but the operator named the token server's origin:
    // now Berth asks it for a token (and the login fails on its answer).
    let evil = foreign().await;
    let realm_origin = evil.url.replace("127.0.0.1", "localhost");
    let evil_realm = format!("{realm_origin}/token");
    let registry = challenging_with(evil_realm).await;
    let berth = TestBerth::start(&[
        "--registry-url",
        &registry.url,
        "--auth",
        "registry",
        "--token-realms",
        &realm_origin,
    ])
    .await;
    let login = berth.client().login("alice", "alice-password").await;
    assert!(login.location.unwrap_or_default().contains("error=invalid"));
    assert!(evil.seen().iter().any(|s| s.target.starts_with("/token")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_challenge_from_a_redirect_target_is_ignored() {
    // The registry redirects the catalog elsewhere; whatever that server
    // says about tokens must not become Berth's token endpoint.
    let evil = foreign().await;
    let evil_url = evil.url.replace("127.0.0.1", "localhost");
    let registry = FakeServer::start(move |seen, _| match seen.target.as_str() {
        "/v2/" => answer(200, &[], "{}"),
        _ => answer(307, &[("location", &format!("{evil_url}/v2/_catalog"))], ""),
    })
    .await;
    let berth = berth_with_service_account(&registry.url).await;
    let page = berth.client().get("/").await;
    assert!(page.status >= 400, "{}", page.status);
    let seen = evil.seen();
    assert!(
        seen.iter().all(|s| !s.target.starts_with("/token")),
        "a token was asked of the redirect target: {seen:?}"
    );
    assert!(
        seen.iter().all(|s| s.authorization.is_none()),
        "credentials followed the redirect: {seen:?}"
    );
}

/// A registry moves its token service: the old one breaks, and the
/// registry's challenges name a new one. The endpoint Berth learnt is
/// forgotten when its token server fails, and the next 401 names the new
/// one, so the same call succeeds instead of failing until a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_token_server_is_forgotten_and_the_registry_asked_again() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    use berth::registry::{Credentials, RegistryClient};

    let moved = Arc::new(AtomicBool::new(false));
    let old_broken = moved.clone();
    let old = FakeServer::start(move |_, _| {
        if old_broken.load(Ordering::SeqCst) {
            answer(503, &[], "down for maintenance")
        } else {
            answer(200, &[], r#"{"token":"old"}"#)
        }
    })
    .await;
    let new = FakeServer::start(|_, _| answer(200, &[], r#"{"token":"new"}"#)).await;
    let realm = Arc::new(Mutex::new(format!("{}/token", old.url)));
    let (now_realm, now_moved) = (realm.clone(), moved.clone());
    let registry = FakeServer::start(move |seen, _| {
        let good = if now_moved.load(Ordering::SeqCst) {
            "Bearer new"
        } else {
            "Bearer old"
        };
        if seen.authorization.as_deref() != Some(good) {
            let realm = now_realm.lock().unwrap().clone();
            return answer(
                401,
                &[(
                    "www-authenticate",
                    &format!(r#"Bearer realm="{realm}",service="registry""#),
                )],
                "",
            );
        }
        if seen.target.starts_with("/v2/_catalog") {
            answer(200, &[], r#"{"repositories":["team/app"]}"#)
        } else {
            answer(200, &[], "{}")
        }
    })
    .await;

    let client = RegistryClient::new(crate::support::http_client(), registry.url.parse().unwrap());
    let creds = Credentials::Basic {
        username: "u".into(),
        password: "p".into(),
    };
    client.ping(&creds).await.expect("the first endpoint works");
    // The service moves: the old token server fails, challenges name the new.
    moved.store(true, Ordering::SeqCst);
    *realm.lock().unwrap() = format!("{}/token", new.url);
    let names = client
        .catalog(&creds)
        .await
        .expect("the registry names the new endpoint and the call succeeds");
    assert_eq!(names, ["team/app"]);
    assert!(
        old.seen()
            .iter()
            .any(|s| s.target.contains("registry%3Acatalog")),
        "the old endpoint was tried first"
    );
    assert_eq!(new.seen().len(), 1, "one token from the new endpoint");
    // From then on the new endpoint is the known one: no 401 round trip.
    let before = registry.seen().len();
    client.ping(&creds).await.expect("ping");
    assert_eq!(registry.seen().len(), before + 1);
}
