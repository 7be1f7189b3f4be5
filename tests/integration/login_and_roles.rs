//! Log-in, redirects, logout, and what each role may do.

use crate::pages::text;
use crate::support::{get_with_cookie, session_cookie, Env, ADMIN, VIEWER};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_redirect_to_login_and_back() {
    let env = Env::start(true, &[]).await;
    let b = env.berth.client();
    let page = b.get("/r/library/alpine?sort=date").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location.as_deref(),
        Some("/login?next=%2Fr%2Flibrary%2Falpine%3Fsort%3Ddate")
    );

    let form = b
        .get("/login?next=%2Fr%2Flibrary%2Falpine%3Fsort%3Ddate")
        .await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"username\"") && form.body.contains("name=\"password\""));

    // Wrong password: the form again with a clear message.
    let wrong = b
        .post_form(
            "/auth/login",
            &[
                ("username", ADMIN.0),
                ("password", "wrong"),
                ("next", "/r/library/alpine"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 303);
    let again = b.get(wrong.location.as_deref().unwrap()).await;
    assert!(text(&again.body).contains("Wrong username or password."));
    assert_eq!(
        b.get("/").await.status,
        303,
        "a failed login must not create a session"
    );

    // Right password: back to the page first asked for.
    let ok = b
        .post_form(
            "/auth/login",
            &[
                ("username", ADMIN.0),
                ("password", ADMIN.1),
                ("next", "/r/library/alpine?sort=date"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location.as_deref(), Some("/r/library/alpine?sort=date"));
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    let t = text(&home.body);
    assert!(
        t.contains("admin admin Log out"),
        "header shows user and role: {t}"
    );
    // The password never reaches the page.
    assert!(!home.body.contains(ADMIN.1));

    // An open redirect is refused.
    let evil = env.berth.client();
    let r = evil
        .post_form(
            "/auth/login",
            &[
                ("username", ADMIN.0),
                ("password", ADMIN.1),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/"));
    // So is one a browser would make of `/%09/evil.example` (it drops the tab).
    for next in ["/\t/evil.example", "/\\evil.example", "/ /evil.example"] {
        let r = env
            .berth
            .client()
            .post_form(
                "/auth/login",
                &[("username", ADMIN.0), ("password", ADMIN.1), ("next", next)],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/"), "{next:?}");
    }
    let form = b.get("/login?next=%2F%09%2Fevil.example").await;
    assert!(
        !form.body.contains("evil.example"),
        "the form carries it on"
    );

    // Logout ends the session.
    let csrf = b.csrf().await;
    let out = b.post_form("/auth/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/login?loggedout=1"));
    assert_eq!(b.get("/").await.status, 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logged_out_cookie_is_refused_when_replayed() {
    let env = Env::start(true, &[]).await;
    let base = env.berth.url.clone();
    let cookie = session_cookie(&base, ADMIN).await;
    assert_eq!(get_with_cookie(&base, "/", &cookie).await.status(), 200);
    let page = get_with_cookie(&base, "/", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("csrf") + marker.len();
    let csrf = &page[at..at + 64];
    let out = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/auth/logout"))
        .header("origin", &base)
        .header("cookie", &cookie)
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let replay = get_with_cookie(&base, "/r/library/alpine", &cookie).await;
    assert_eq!(replay.status(), 303);
    assert!(replay
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("/login"));
    let api = reqwest::Client::new()
        .post(format!("{base}/api/list_repositories"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_admins_nobody_may_delete() {
    let env = Env::start(true, &[]).await;
    // The same registry, with BERTH_ADMINS unset.
    let berth = crate::support::TestBerth::start(&[
        "--registry-url",
        &env.registry.url,
        "--auth",
        "registry",
    ])
    .await;
    let b = berth.client();
    assert_eq!(b.login(ADMIN.0, ADMIN.1).await.status, 303);
    let t = text(&b.get("/").await.body);
    assert!(t.contains("admin viewer"), "{t}");
    let page = b.get("/r/library/alpine").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Delete selected"));
    let del = b.get("/r/library/alpine/-/delete?tags=3.19").await;
    assert_eq!(del.status, 403);
    assert!(
        text(&del.body).contains("BERTH_ADMINS"),
        "{}",
        text(&del.body)
    );
    let csrf = b.csrf().await;
    let digest = env.content.alpine_319.digest.clone();
    for endpoint in ["/actions/delete", "/api/delete_manifest"] {
        let r = b
            .delete_via(endpoint, "library/alpine", &digest, &csrf)
            .await;
        assert_eq!(r.status, 403, "{endpoint}: {}", r.body);
    }
    assert_eq!(b.get("/r/library/alpine/-/tag/3.19").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_refuse_requests_without_a_session() {
    let env = Env::start(true, &[]).await;
    let b = env.berth.client();
    let r = b.post_form("/api/list_repositories", &[]).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_see_no_delete_controls_and_are_refused_by_the_server() {
    let env = Env::start(true, &[]).await;
    let v = env.viewer().await;
    let t = text(&v.get("/").await.body);
    assert!(t.contains("viewer viewer"), "{t}");
    let page = v.get("/r/library/alpine").await;
    assert!(!page.body.contains("Delete selected"));
    // Tick boxes are there to compare two tags, not to delete.
    assert!(page.body.contains("Compare the two ticked"));
    assert!(!v
        .get("/r/library/alpine/-/tag/3.19")
        .await
        .body
        .contains("Delete this image"));
    assert_eq!(
        v.get("/r/library/alpine/-/delete?tag=3.19").await.status,
        403
    );

    let csrf = v.csrf().await;
    let digest = env.content.alpine_319.digest.clone();
    let form = v
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(form.status, 403);
    let api = v
        .delete_via("/api/delete_manifest", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(api.status, 403);
    let remove = v.remove_tag("library/alpine", "3.19", &csrf).await;
    assert_eq!(remove.status, 403, "{}", remove.body);
    let plan = v
        .post_form(
            "/api/plan_delete",
            &[("repository", "library/alpine"), ("tags", "3.19")],
        )
        .await;
    assert_eq!(plan.status, 403, "{}", plan.body);
    // Still there.
    let admin = env.admin().await;
    assert_eq!(admin.get("/r/library/alpine/-/tag/3.19").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_hides_and_refuses_deletes_even_for_admins() {
    let env = Env::start(true, &["--read-only", "true"]).await;
    let a = env.admin().await;
    assert!(!a
        .get("/r/library/alpine")
        .await
        .body
        .contains("Delete selected"));
    let csrf = a.csrf().await;
    let r = a
        .delete_via(
            "/actions/delete",
            "library/alpine",
            &env.content.alpine_319.digest,
            &csrf,
        )
        .await;
    assert_eq!(r.status, 403);
    // The capability page and a delete plan probe nothing destructive.
    let report = a.get("/admin/registry").await;
    assert_eq!(report.status, 200);
    assert!(
        text(&report.body).contains("read-only"),
        "{}",
        text(&report.body)
    );
    let plan = a
        .post_form(
            "/api/plan_delete",
            &[("repository", "library/alpine"), ("tags", "3.19")],
        )
        .await;
    assert_eq!(plan.status, 403);
    env.registry.settle_log().await;
    assert!(
        !env.registry.log().contains("\"DELETE "),
        "a DELETE reached the registry in read-only mode"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn htpasswd_mode_uses_the_file_and_the_service_account() {
    let reg = crate::support::TestRegistry::start(crate::support::RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    crate::support::fixtures::push_standard(&reg.pusher()).await;
    let htpasswd = reg.htpasswd_path();
    let berth = crate::support::TestBerth::start(&[
        "--registry-url",
        &reg.url,
        "--auth",
        "htpasswd",
        "--htpasswd",
        htpasswd.to_str().unwrap(),
        "--registry-username",
        ADMIN.0,
        "--registry-password",
        ADMIN.1,
        "--admins",
        ADMIN.0,
    ])
    .await;
    let b = berth.client();
    assert_eq!(
        b.login(VIEWER.0, "wrong").await.location.as_deref(),
        Some("/login?error=invalid&next=%2F")
    );
    assert_eq!(
        b.login(VIEWER.0, VIEWER.1).await.location.as_deref(),
        Some("/")
    );
    assert!(text(&b.get("/").await.body).contains("4 repositories"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn none_mode_needs_no_login_and_never_deletes() {
    let reg = crate::support::TestRegistry::start(crate::support::RegistryOpts {
        htpasswd: false,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let content = crate::support::fixtures::push_standard(&reg.pusher()).await;
    let berth =
        crate::support::TestBerth::start(&["--registry-url", &reg.url, "--auth", "none"]).await;
    let b = berth.client();
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert!(text(&home.body).contains("anonymous viewer"));
    assert!(!home.body.contains("Log out"));
    let r = b
        .delete_via(
            "/actions/delete",
            "library/alpine",
            &content.alpine_319.digest,
            "",
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_mode_refuses_logins_a_registry_without_auth_cannot_verify() {
    let reg = crate::support::TestRegistry::start(crate::support::RegistryOpts {
        htpasswd: false,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let berth =
        crate::support::TestBerth::start(&["--registry-url", &reg.url, "--auth", "registry"]).await;
    let b = berth.client();
    let r = b.login("admin", "anything").await;
    assert_eq!(
        r.location.as_deref(),
        Some("/login?error=registry-open&next=%2F")
    );
    assert!(text(&b.get(r.location.as_deref().unwrap()).await.body).contains("BERTH_AUTH=none"));
    assert_eq!(b.get("/").await.status, 303, "no session was created");
}
