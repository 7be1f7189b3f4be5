//! Berth in `registry` auth mode over a bearer-token registry: each user
//! sees exactly what their tokens allow, and nothing of anyone else's; and
//! Berth over HTTPS with its CA options.

use crate::support::typed;
use berth::registry::{Credentials, RegistryClient};

use crate::pages::text;
use crate::support::fixtures::{push_standard_and_team_c, STANDARD_REPOS, TEAM_C_REPO};
use crate::support::{
    RegistryOpts, TestBerth, TestRegistry, TlsFiles, TokenServer, ALICE, BOB, CAROL,
};

async fn token_registry() -> (TokenServer, TestRegistry) {
    let tokens = TokenServer::start().await;
    let reg = TestRegistry::start(RegistryOpts {
        delete_enabled: true,
        token: Some(tokens.auth_config()),
        ..Default::default()
    })
    .await;
    push_standard_and_team_c(&reg).await;
    (tokens, reg)
}

/// Berth logging users in against the token registry, with these admins.
async fn berth_in_registry_mode(reg: &TestRegistry, admins: &str) -> TestBerth {
    TestBerth::start(&[
        "--registry-url",
        &reg.url,
        "--auth",
        "registry",
        "--admins",
        admins,
    ])
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_sees_only_what_their_tokens_allow() {
    let (_tokens, reg) = token_registry().await;
    let berth = berth_in_registry_mode(&reg, "alice,bob").await;

    let wrong = berth.client();
    let page = wrong.login(ALICE.0, "not-her-password").await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().contains("error=invalid"));

    let alice = berth.client();
    assert_eq!(
        alice.login(ALICE.0, ALICE.1).await.location.as_deref(),
        Some("/")
    );
    let carol = berth.client();
    assert_eq!(
        carol.login(CAROL.0, CAROL.1).await.location.as_deref(),
        Some("/")
    );

    // Alice lists everything; Carol, asking right after, gets no catalog.
    let a = alice.get("/").await;
    assert_eq!(a.status, 200);
    for repo in STANDARD_REPOS.iter().chain([&TEAM_C_REPO]) {
        assert!(a.body.contains(repo), "{repo} missing for alice");
    }
    let c = carol.get("/").await;
    assert_eq!(c.status, 403, "{}", c.body);
    let t = text(&c.body);
    assert!(t.contains("may not list repositories"), "{t}");
    assert!(!c.body.contains("library/alpine"), "alice's catalog leaked");
    // Carol reads her own repository, and not the others.
    let own = carol.get(&format!("/r/{TEAM_C_REPO}")).await;
    assert_eq!(own.status, 200);
    assert!(text(&own.body).contains("1 tag"));
    let other = carol.get("/r/library/alpine").await;
    assert_eq!(other.status, 403, "{}", other.body);
    assert!(!other.body.contains("3.20"));
    let tag = carol.get("/r/library/alpine/-/tag/3.20").await;
    assert_eq!(tag.status, 403);
    // Alice still sees alpine after Carol was refused.
    assert!(alice.get("/r/library/alpine").await.body.contains("3.20"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_needs_the_delete_action_in_the_token() {
    let (_tokens, reg) = token_registry().await;
    let berth = berth_in_registry_mode(&reg, "alice,bob").await;
    let alice_creds = Credentials::Basic {
        username: ALICE.0.into(),
        password: ALICE.1.into(),
    };
    let direct = RegistryClient::new(reg.client(), reg.url.parse().unwrap());
    let digest = direct
        .resolve_digest(
            &alice_creds,
            &typed::repo("library/alpine"),
            &typed::reference("3.19"),
        )
        .await
        .unwrap();

    // Bob is a Berth admin, but his tokens only grant pull.
    let bob = berth.client();
    assert_eq!(bob.login(BOB.0, BOB.1).await.status, 303);
    let csrf = bob.csrf().await;
    let page = bob
        .delete_via("/actions/delete", "library/alpine", digest.as_str(), &csrf)
        .await;
    assert_eq!(page.status, 303);
    assert!(
        page.location
            .as_deref()
            .unwrap()
            .contains("delete_error=forbidden"),
        "{:?}",
        page.location
    );
    assert!(direct
        .resolve_digest(
            &alice_creds,
            &typed::repo("library/alpine"),
            &typed::reference("3.19")
        )
        .await
        .is_ok());

    // Alice's tokens carry `delete`: the manifest goes.
    let alice = berth.client();
    assert_eq!(alice.login(ALICE.0, ALICE.1).await.status, 303);
    let csrf = alice.csrf().await;
    let page = alice
        .delete_via("/actions/delete", "library/alpine", digest.as_str(), &csrf)
        .await;
    assert_eq!(
        page.location.as_deref(),
        Some("/r/library/alpine?deleted=1")
    );
    assert!(direct
        .resolve_digest(
            &alice_creds,
            &typed::repo("library/alpine"),
            &typed::reference("3.19")
        )
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capability_page_names_the_token_realm() {
    let (tokens, reg) = token_registry().await;
    let berth = berth_in_registry_mode(&reg, "alice").await;
    let alice = berth.client();
    assert_eq!(alice.login(ALICE.0, ALICE.1).await.status, 303);
    let t = text(&alice.get("/admin/registry").await.body);
    assert!(t.contains("Bearer token (Docker token spec)"), "{t}");
    assert!(t.contains(&tokens.realm), "{t}");
    assert!(t.contains("MANIFEST_UNKNOWN"), "{t}");
}

async fn tls_registry() -> (TlsFiles, TestRegistry) {
    let tls = TlsFiles::temp();
    let reg = TestRegistry::start(RegistryOpts {
        tls: Some(tls.clone()),
        ..Default::default()
    })
    .await;
    push_standard_and_team_c(&reg).await;
    (tls, reg)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_registry_with_and_without_its_ca() {
    let (tls, reg) = tls_registry().await;
    assert!(reg.url.starts_with("https://"));
    let ca = tls.ca.to_str().unwrap().to_string();

    let trusted = TestBerth::start(&[
        "--registry-url",
        &reg.url,
        "--auth",
        "none",
        "--registry-ca",
        &ca,
    ])
    .await;
    let page = trusted.client().get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("library/alpine"));

    // Without the CA the certificate is not trusted: an honest 502, which
    // names TLS to an admin (a viewer gets the heading and a request id).
    let (_untrusted, admin) = TestBerth::with_local_admin(&reg.url).await;
    let page = admin.get("/").await;
    assert_eq!(page.status, 502, "{}", page.body);
    assert!(text(&page.body).contains("TLS"), "{}", text(&page.body));

    // Explicitly insecure: works (and logs a warning at start-up).
    let insecure = TestBerth::start(&[
        "--registry-url",
        &reg.url,
        "--auth",
        "none",
        "--registry-insecure",
        "true",
    ])
    .await;
    let page = insecure.client().get("/r/library/alpine").await;
    assert_eq!(page.status, 200);
}
