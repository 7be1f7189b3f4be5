//! Deleting: the sibling warning, CSRF, and removing exactly the
//! confirmed digest.

use crate::support::typed;
use berth::registry::{RegistryClient, RegistryError};

use crate::pages::text;
use crate::support::Env;

async fn tags_of(env: &Env, repo: &str) -> Vec<String> {
    let c = RegistryClient::new(
        crate::support::http_client(),
        env.registry.url.parse().unwrap(),
    );
    // A repository whose last tag went is "unknown" to the registry; any
    // other error is a failure of the test, not an empty list.
    let mut tags = match c
        .tags(&env.registry.admin_credentials(), &typed::repo(repo))
        .await
    {
        Ok(tags) => tags,
        Err(RegistryError::NotFound(_)) => Vec::new(),
        Err(e) => panic!("listing {repo} failed: {e}"),
    };
    tags.sort();
    tags.into_iter().map(String::from).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirm_page_lists_every_tag_sharing_the_digest() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let page = a.get("/r/library/alpine/-/delete?tag=3.20").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(
        t.contains("Deleting a manifest removes every tag that points at it"),
        "{t}"
    );
    assert!(t.contains(&env.content.alpine_320.digest[7..19]));
    assert!(
        page.body.contains("<td class=\"siblings\">latest</td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "name=\"digest\" value=\"{}\"",
        env.content.alpine_320.digest
    )));
    assert!(t.contains("garbage-collect"));
    // Showing the plan deletes nothing.
    assert_eq!(
        tags_of(&env, "library/alpine").await,
        ["3.19", "3.20", "latest"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_exactly_the_confirmed_digest() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let csrf = a.csrf().await;
    let digest = env.content.alpine_320.digest.clone();
    let r = a
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/r/library/alpine?deleted=1"));
    let after = a.get("/r/library/alpine?deleted=1").await;
    let t = text(&after.body);
    assert!(t.contains("Deleted 1 manifest."), "{t}");
    assert!(t.contains("garbage-collect"));
    // 3.20 and latest shared the digest; 3.19 and every other repo remain.
    assert_eq!(tags_of(&env, "library/alpine").await, ["3.19"]);
    assert_eq!(
        tags_of(&env, "team-a/backend/app").await,
        ["v1.10.0", "v1.2.0", "v1.9.0"]
    );
    assert_eq!(
        tags_of(&env, "team-a/frontend/web").await,
        ["2.0", "amd64-only", "arm64-only"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_delete_needs_the_token_and_deletes_one_digest() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let digest = env.content.app[0].1.digest.clone();
    let bad = a
        .delete_via(
            "/api/delete_manifest",
            "team-a/backend/app",
            &digest,
            "0000",
        )
        .await;
    assert_eq!(bad.status, 403);
    let csrf = a.csrf().await;
    let ok = a
        .delete_via("/api/delete_manifest", "team-a/backend/app", &digest, &csrf)
        .await;
    assert!(ok.status < 400, "{} {}", ok.status, ok.body);
    assert_eq!(
        tags_of(&env, "team-a/backend/app").await,
        ["v1.10.0", "v1.2.0"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_and_tokenless_deletes_are_refused() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let csrf = a.csrf().await;
    let digest = env.content.alpine_319.digest.clone();
    let body = format!(
        "repository=library%2Falpine&digest={}&csrf={csrf}",
        digest.replace(':', "%3A")
    );
    // A browser marks a request from another site; the guard refuses it
    // even when the cookie and the token were somehow present.
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ] {
        let r = a
            .http
            .post(format!("{}/actions/delete", a.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(header, value)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{header}: {value}");
    }
    // Same site but without the token.
    let r = a
        .post_form(
            "/actions/delete",
            &[("repository", "library/alpine"), ("digest", &digest)],
        )
        .await;
    assert_eq!(r.status, 403);
    // The session cookie is SameSite=Strict and HttpOnly.
    let fresh = env.berth.client();
    let resp = fresh
        .http
        .post(format!("{}/auth/login", fresh.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=admin&password=admin-pass&next=%2F")
        .send()
        .await
        .unwrap();
    let cookie = resp
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(!cookie.contains("admin-pass"));
    let c = RegistryClient::new(
        crate::support::http_client(),
        env.registry.url.parse().unwrap(),
    );
    assert!(c
        .manifest(
            &env.registry.admin_credentials(),
            &typed::repo("library/alpine"),
            &typed::reference(&digest)
        )
        .await
        .is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_deleting_the_same_image_at_once() {
    let env = Env::start(true, &[]).await;
    let (a, b) = (env.admin().await, env.admin().await);
    let (csrf_a, csrf_b) = (a.csrf().await, b.csrf().await);
    let digest = env.content.alpine_319.digest.clone();
    let before = tags_of(&env, "library/alpine").await;
    let (ra, rb) = tokio::join!(
        a.delete_via("/api/delete_manifest", "library/alpine", &digest, &csrf_a),
        b.delete_via("/api/delete_manifest", "library/alpine", &digest, &csrf_b),
    );
    // The winner's answer is a success (a form-style post is redirected
    // back, 302); the other is a 404 that says why.
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert!(
        matches!(statuses, [200 | 302, 404]),
        "{statuses:?}: {} / {}",
        ra.body,
        rb.body
    );
    let loser = if ra.status == 404 { &ra } else { &rb };
    assert!(loser.body.contains("already deleted"), "{}", loser.body);
    // Exactly the tags on that digest went; the rest stayed.
    let after = tags_of(&env, "library/alpine").await;
    let gone: Vec<_> = before.iter().filter(|t| !after.contains(t)).collect();
    assert_eq!(gone, ["3.19"], "before {before:?}, after {after:?}");
}

/// `BERTH_PROTECTED_TAGS` (default `latest`): no delete from the UI takes
/// a protected tag with it, whichever way it is asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protected_tag_stops_the_delete_of_its_manifest() {
    let env = Env::start(true, &["--protected-tags", "latest"]).await;
    let a = env.admin().await;
    // The list marks the protected tag with a lock, and only that one.
    let list = a.get("/r/library/alpine").await;
    let row = |tag: &str| {
        let start = list.body.find(&format!("<tr data-tag=\"{tag}\"")).unwrap();
        let end = list.body[start..].find("</tr>").unwrap() + start;
        list.body[start..end].to_string()
    };
    assert!(
        row("latest").contains("data-testid=\"protected\""),
        "{}",
        row("latest")
    );
    assert!(row("latest").contains("matches latest"));
    assert!(!row("3.20").contains("data-testid=\"protected\""));
    // 3.20 shares its manifest with `latest`.
    let page = a.get("/r/library/alpine/-/delete?tag=3.20").await;
    assert_eq!(page.status, 409);
    assert!(
        text(&page.body).contains("latest is protected (BERTH_PROTECTED_TAGS)"),
        "{}",
        text(&page.body)
    );
    let csrf = a.csrf().await;
    let r = a
        .delete_via(
            "/actions/delete",
            "library/alpine",
            &env.content.alpine_320.digest,
            &csrf,
        )
        .await;
    // The form goes back to the list, which says why.
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.location.clone().unwrap();
    assert!(back.contains("delete_error=protected"), "{back}");
    assert!(text(&a.get(&back).await.body).contains("A protected tag (BERTH_PROTECTED_TAGS)"));
    assert_eq!(
        tags_of(&env, "library/alpine").await,
        ["3.19", "3.20", "latest"]
    );
    // A manifest no protected tag points to goes as before.
    let page = a.get("/r/library/alpine/-/delete?tag=3.19").await;
    assert_eq!(page.status, 200);
    let r = a
        .delete_via(
            "/actions/delete",
            "library/alpine",
            &env.content.alpine_319.digest,
            &csrf,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(tags_of(&env, "library/alpine").await, ["3.20", "latest"]);
}

/// The protected-tag check asks the registry at delete time, not the list
/// Berth cached: `latest` moved onto 3.19 behind Berth's back (no event,
/// lists kept ten minutes) still stops the delete of 3.19, by the server
/// function (409) and by the form, and `latest` still resolves. The same
/// digest goes once `latest` has moved off it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protected_tag_moved_behind_berths_back_still_stops_the_delete() {
    let env = Env::start(true, &["--protected-tags", "latest", "--list-ttl", "600"]).await;
    let a = env.admin().await;
    let (c319, c320) = (&env.content.alpine_319, &env.content.alpine_320);
    // Berth's list, cached: `latest` on 3.20, 3.19 alone.
    let list = a.get("/r/library/alpine").await;
    assert_eq!(list.status, 200);
    let reg = RegistryClient::new(
        crate::support::http_client(),
        env.registry.url.parse().unwrap(),
    );
    let creds = env.registry.admin_credentials();
    let repo = typed::repo("library/alpine");
    let move_latest_to = |digest: String| {
        let (reg, creds, repo, pusher) = (&reg, &creds, &repo, env.registry.pusher());
        async move {
            let m = reg
                .manifest(creds, repo, &typed::reference(&digest))
                .await
                .unwrap();
            pusher
                .put_manifest("library/alpine", "latest", &m.media_type, &m.body)
                .await
                .unwrap();
        }
    };
    move_latest_to(c319.digest.clone()).await;
    let latest = || async {
        reg.head_manifest(&creds, &repo, &typed::reference("latest"))
            .await
            .unwrap()
            .digest
            .to_string()
    };
    assert_eq!(latest().await, c319.digest);

    let csrf = a.csrf().await;
    let r = a
        .delete_via(
            "/api/delete_manifest",
            "library/alpine",
            &c319.digest,
            &csrf,
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("latest is protected"), "{}", r.body);
    let r = a
        .delete_via("/actions/delete", "library/alpine", &c319.digest, &csrf)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.location.clone().unwrap();
    assert!(back.contains("delete_error=protected"), "{back}");
    assert_eq!(latest().await, c319.digest, "latest still resolves");
    assert_eq!(
        tags_of(&env, "library/alpine").await,
        ["3.19", "3.20", "latest"]
    );

    // `latest` back on 3.20: 3.19 carries no protected tag and goes.
    move_latest_to(c320.digest.clone()).await;
    let r = a
        .delete_via("/actions/delete", "library/alpine", &c319.digest, &csrf)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        !r.location
            .clone()
            .unwrap_or_default()
            .contains("delete_error"),
        "{:?}",
        r.location
    );
    assert_eq!(tags_of(&env, "library/alpine").await, ["3.20", "latest"]);
}
