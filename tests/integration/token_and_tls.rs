//! Bearer-token registries (a real token server, registry 2.8 verifying its
//! tokens) and HTTPS registries, at the protocol level.

use crate::support::typed;
use berth::registry::{Credentials, RegistryClient, RegistryError};
use berth::seed::PushedImage;

use crate::support::fixtures::{push_standard_and_team_c, Content, TEAM_C_REPO};
use crate::support::token_server::SERVICE;
use crate::support::{
    Access, RegistryOpts, TestRegistry, TlsFiles, TokenField, TokenServer, ALICE, BOB, CAROL,
};

fn basic((username, password): (&str, &str)) -> Credentials {
    Credentials::Basic {
        username: username.into(),
        password: password.into(),
    }
}

fn client(reg: &TestRegistry) -> RegistryClient {
    RegistryClient::new(reg.client(), reg.url.parse().unwrap())
}

fn refused(e: &RegistryError) -> bool {
    matches!(
        e,
        RegistryError::Unauthorized { .. } | RegistryError::Denied(_)
    )
}

struct TokenEnv {
    tokens: TokenServer,
    reg: TestRegistry,
    content: Content,
    team_c: PushedImage,
}

async fn token_env(tls: bool) -> TokenEnv {
    let tokens = TokenServer::start().await;
    let reg = TestRegistry::start(RegistryOpts {
        delete_enabled: true,
        token: Some(tokens.auth_config()),
        tls: tls.then(TlsFiles::temp),
        ..Default::default()
    })
    .await;
    let (content, team_c) = push_standard_and_team_c(&reg).await;
    TokenEnv {
        tokens,
        reg,
        content,
        team_c,
    }
}

/// The harness alone: the registry challenges with the token server's
/// realm, and accepts both minted tokens and tokens the server hands out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_accepts_the_token_servers_tokens() {
    let env = token_env(false).await;
    let http = env.reg.client();
    let catalog = format!("{}/v2/_catalog", env.reg.url);

    let anon = http.get(&catalog).send().await.unwrap();
    assert_eq!(anon.status(), 401);
    let challenge = anon.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains(&format!("realm=\"{}\"", env.tokens.realm)));
    assert!(
        challenge.contains("scope=\"registry:catalog:*\""),
        "{challenge}"
    );

    let minted = env.tokens.mint(ALICE.0, &[Access::catalog()]);
    let resp = http
        .get(&catalog)
        .bearer_auth(&minted)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", env.reg.log());
    let body: serde_json::Value = resp.json().await.unwrap();
    let repos: Vec<&str> = body["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(repos.contains(&"library/alpine"), "{repos:?}");
    assert!(repos.contains(&TEAM_C_REPO), "{repos:?}");

    // A token for another scope does not open the catalog.
    let wrong = env
        .tokens
        .mint(ALICE.0, &[Access::repository("library/alpine", &["pull"])]);
    let resp = http.get(&catalog).bearer_auth(&wrong).send().await.unwrap();
    assert_eq!(resp.status(), 401);

    // The token server's own answer works the same way.
    let answer: serde_json::Value = http
        .get(&env.tokens.realm)
        .query(&[("service", SERVICE), ("scope", "registry:catalog:*")])
        .basic_auth(ALICE.0, Some(ALICE.1))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["token"], answer["access_token"]);
    assert_eq!(answer["expires_in"], 300);
    assert!(answer["issued_at"].as_str().is_some());
    let served = answer["token"].as_str().unwrap();
    let resp = http.get(&catalog).bearer_auth(served).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", env.reg.log());
}

/// `GET realm?service=…&scope=…`, with Basic credentials when given.
async fn ask_token(
    tokens: &TokenServer,
    user: Option<(&str, &str)>,
    scopes: &[&str],
) -> reqwest::Response {
    let mut query = vec![("service", SERVICE)];
    query.extend(scopes.iter().map(|s| ("scope", *s)));
    let mut rb = crate::support::http_client()
        .get(&tokens.realm)
        .query(&query);
    if let Some((u, p)) = user {
        rb = rb.basic_auth(u, Some(p));
    }
    rb.send().await.expect("token server")
}

/// The `access` claim of the token answered, read without checking the
/// signature (the registry does that in the other tests).
async fn granted(tokens: &TokenServer, user: Option<(&str, &str)>, scopes: &[&str]) -> Vec<Access> {
    use base64::Engine as _;
    let answer: serde_json::Value = ask_token(tokens, user, scopes).await.json().await.unwrap();
    let token = answer["token"].as_str().expect("token");
    let claims = token.split('.').nth(1).expect("JWT");
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims)
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&claims).unwrap();
    serde_json::from_value(claims["access"].clone()).unwrap()
}

/// The token server on its own: grants, refusals and anonymous tokens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_server_grants_per_user() {
    let tokens = TokenServer::start().await;
    let scopes = [
        "registry:catalog:*",
        "repository:team-a/backend/app:pull,push,delete",
        "repository:team-c/app:pull,push",
    ];

    assert_eq!(
        granted(&tokens, Some(ALICE), &scopes).await,
        [
            Access::catalog(),
            Access::repository("team-a/backend/app", &["pull", "push", "delete"]),
            Access::repository("team-c/app", &["pull", "push"]),
        ]
    );
    assert_eq!(
        granted(&tokens, Some(BOB), &scopes).await,
        [
            Access::catalog(),
            Access::repository("team-a/backend/app", &["pull"]),
            Access::repository("team-c/app", &["pull"]),
        ]
    );
    assert_eq!(
        granted(&tokens, Some(CAROL), &scopes).await,
        [Access::repository("team-c/app", &["pull", "push"])]
    );
    assert_eq!(granted(&tokens, None, &scopes).await, []);

    let wrong = ask_token(&tokens, Some((ALICE.0, "nope")), &scopes).await;
    assert_eq!(wrong.status(), 401);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "UNAUTHORIZED");

    let log = tokens.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log[0].user.as_deref(), Some("alice"));
    assert_eq!(log[0].service.as_deref(), Some(SERVICE));
    assert_eq!(log[0].scopes, scopes);
    assert_eq!(log[3].user, None);
    assert_eq!(
        (log[4].user.as_deref(), log[4].status),
        (Some("alice"), 401)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alice_reads_and_deletes_with_bearer_tokens() {
    let env = token_env(false).await;
    let c = client(&env.reg);
    let alice = basic(ALICE);

    c.ping(&alice).await.expect("ping");
    let catalog = c.catalog(&alice).await.expect("catalog");
    assert!(catalog.iter().any(|n| n == "library/alpine"), "{catalog:?}");
    assert!(catalog.iter().any(|n| n == TEAM_C_REPO), "{catalog:?}");
    let mut tags = c
        .tags(&alice, &typed::repo("library/alpine"))
        .await
        .expect("tags");
    tags.sort();
    assert_eq!(tags, ["3.19", "3.20", "latest"]);
    let m = c
        .manifest(
            &alice,
            &typed::repo("library/alpine"),
            &typed::reference("3.19"),
        )
        .await
        .expect("manifest");
    assert_eq!(m.digest, env.content.alpine_319.digest);

    c.delete_manifest(
        &alice,
        &typed::repo("library/alpine"),
        &typed::digest(&env.content.alpine_319.digest),
    )
    .await
    .expect("delete");
    assert!(matches!(
        c.manifest(
            &alice,
            &typed::repo("library/alpine"),
            &typed::reference(&env.content.alpine_319.digest)
        )
        .await,
        Err(RegistryError::NotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bob_reads_but_cannot_delete() {
    let env = token_env(false).await;
    let c = client(&env.reg);
    let bob = basic(BOB);

    assert!(c
        .catalog(&bob)
        .await
        .expect("catalog")
        .iter()
        .any(|n| n == "team-a/backend/app"));
    let (tag, pushed) = &env.content.app[0];
    let m = c
        .manifest(
            &bob,
            &typed::repo("team-a/backend/app"),
            &typed::reference(tag),
        )
        .await
        .expect("manifest");
    assert_eq!(&m.digest, &pushed.digest);

    let err = c
        .delete_manifest(
            &bob,
            &typed::repo("team-a/backend/app"),
            &typed::digest(&pushed.digest),
        )
        .await
        .expect_err("bob may not delete");
    assert!(refused(&err), "{err:?}");
    // Still there.
    c.manifest(
        &bob,
        &typed::repo("team-a/backend/app"),
        &typed::reference(&pushed.digest),
    )
    .await
    .expect("manifest after refused delete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carol_sees_only_team_c() {
    let env = token_env(false).await;
    let c = client(&env.reg);
    let carol = basic(CAROL);

    let err = c.catalog(&carol).await.expect_err("no catalog for carol");
    assert!(refused(&err), "{err:?}");
    assert_eq!(
        c.tags(&carol, &typed::repo(TEAM_C_REPO))
            .await
            .expect("tags"),
        ["1.0"]
    );
    let m = c
        .manifest(&carol, &typed::repo(TEAM_C_REPO), &typed::reference("1.0"))
        .await
        .expect("manifest");
    assert_eq!(m.digest, env.team_c.digest);
    let err = c
        .tags(&carol, &typed::repo("team-a/backend/app"))
        .await
        .expect_err("team-a is not carol's");
    assert!(refused(&err), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_unauthorized() {
    let env = token_env(false).await;
    let c = client(&env.reg);
    let wrong = basic((ALICE.0, "not-alice-pass"));
    assert!(matches!(
        c.catalog(&wrong).await,
        Err(RegistryError::Unauthorized { .. })
    ));
    assert!(matches!(
        c.tags(&wrong, &typed::repo("library/alpine")).await,
        Err(RegistryError::Unauthorized { .. })
    ));
    // The token server, not the registry, refused.
    assert!(env.tokens.requests().iter().any(|r| r.status == 401));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_cached_per_scope() {
    let env = token_env(false).await;
    let c = client(&env.reg);
    let alice = basic(ALICE);
    env.tokens.clear_requests();

    c.catalog(&alice).await.expect("first catalog");
    c.catalog(&alice).await.expect("second catalog");
    assert_eq!(
        env.tokens.requests_for_scope("registry:catalog:*"),
        1,
        "{:?}",
        env.tokens.requests()
    );
    // Another scope gets a token of its own (the catalog's would not do),
    // once, and each scope's token is still reused after the other's.
    for repo in ["library/alpine", "team-a/backend/app"] {
        for _ in 0..2 {
            c.tags(&alice, &typed::repo(repo)).await.expect("tags");
        }
    }
    c.catalog(&alice).await.expect("third catalog");
    for scope in [
        "registry:catalog:*",
        "repository:library/alpine:pull",
        "repository:team-a/backend/app:pull",
    ] {
        assert_eq!(
            env.tokens.requests_for_scope(scope),
            1,
            "{scope}: {:?}",
            env.tokens.requests()
        );
    }
    assert_eq!(env.tokens.request_count(), 3, "{:?}", env.tokens.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepts_token_or_access_token_alone() {
    let env = token_env(false).await;
    let alice = basic(ALICE);

    // A fresh client and a fresh scope each time, so no cached token hides
    // the answer under test.
    for (field, repo) in [
        (TokenField::AccessTokenOnly, "library/alpine"),
        (TokenField::TokenOnly, "team-a/backend/app"),
    ] {
        env.tokens.set_token_field(field);
        let before = env.tokens.request_count();
        let tags = client(&env.reg)
            .tags(&alice, &typed::repo(repo))
            .await
            .unwrap_or_else(|e| panic!("{field:?}: {e:?}"));
        assert!(!tags.is_empty());
        assert!(env.tokens.request_count() > before, "{field:?} unused");
    }

    // No `expires_in` either: the spec's 60 s default applies.
    env.tokens.set_token_field(TokenField::Both);
    env.tokens.set_expires_in(None);
    let tags = client(&env.reg)
        .tags(&alice, &typed::repo("team-a/frontend/web"))
        .await
        .expect("without expires_in");
    assert!(tags.iter().any(|n| n == "2.0"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_registry_needs_the_ca() {
    let reg = TestRegistry::start(RegistryOpts {
        delete_enabled: true,
        tls: Some(TlsFiles::temp()),
        ..Default::default()
    })
    .await;
    assert!(reg.url.starts_with("https://127.0.0.1:"));
    push_standard_and_team_c(&reg).await;
    let anon = Credentials::Anonymous;

    let trusting = client(&reg);
    trusting.ping(&anon).await.expect("ping with the CA");
    assert!(trusting
        .catalog(&anon)
        .await
        .expect("catalog")
        .iter()
        .any(|n| n == TEAM_C_REPO));

    // The certificate also names localhost.
    let by_name = reg.url.replace("127.0.0.1", "localhost");
    RegistryClient::new(reg.client(), by_name.parse().unwrap())
        .ping(&anon)
        .await
        .expect("ping via localhost");

    let untrusting = RegistryClient::new(crate::support::http_client(), reg.url.parse().unwrap());
    assert!(matches!(
        untrusting.ping(&anon).await,
        Err(RegistryError::Unreachable { .. })
    ));
}

/// An https registry whose token realm is plain http: the password would
/// cross the network in the clear, so Berth refuses before sending it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_registry_with_an_http_realm_is_refused() {
    let env = token_env(true).await;
    assert!(env.reg.url.starts_with("https://"));
    assert!(env.tokens.realm.starts_with("http://"));
    let c = client(&env.reg);
    let before = env.tokens.requests().len();
    match c.catalog(&basic(ALICE)).await {
        Err(RegistryError::ForeignOrigin { origin, .. }) => {
            assert!(origin.starts_with("http://127.0.0.1"), "{origin}")
        }
        other => panic!("expected a refused realm, got {other:?}"),
    }
    assert_eq!(
        env.tokens.requests().len(),
        before,
        "the token server was called"
    );
}
