//! Two Berth processes on one real PostgreSQL, as replicas behind a load
//! balancer: they share logins and logouts, and a delete on one drops the
//! other's cached lists within a second (LISTEN/NOTIFY).

use std::time::{Duration, Instant};

use crate::support::fixtures::push_standard;
use crate::support::postgres::TestPostgres;
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{get_with_cookie, session_cookie, TestBerth, ADMIN};

/// 32 bytes in hex, shared by both replicas as the README says they must.
const KEY: &str = "7f3c1e5a9b2d4f6081a3c5e7092b4d6f8a1c3e5071921b3d5f7a9c1e3f5a7b9d";

async fn replicas(registry: &TestRegistry, pg: &TestPostgres) -> (TestBerth, TestBerth) {
    let mut flags = registry.registry_mode_flags();
    flags.extend([
        "--database-url",
        pg.url.as_str(),
        "--secret-key",
        KEY,
        // Long enough that only a notice can explain a fresh list.
        "--list-ttl",
        "600",
    ]);
    let a = TestBerth::start(&flags).await;
    let b = TestBerth::start(&flags).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_share_logins_and_logouts() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let pg = TestPostgres::start().await;
    let (a, b) = replicas(&registry, &pg).await;

    // Log in on A, browse on B with the same cookie.
    let cookie = session_cookie(&a.url, ADMIN).await;
    assert_eq!(get_with_cookie(&b.url, "/", &cookie).await.status(), 200);

    // Log out on B (with the page's anti-CSRF token): A refuses the cookie.
    let page = get_with_cookie(&b.url, "/", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("csrf field") + marker.len();
    let csrf = &page[start..start + 64];
    let out = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/auth/logout", b.url))
        .header("cookie", &cookie)
        .header("origin", &b.url)
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    for berth in [&a, &b] {
        let resp = get_with_cookie(&berth.url, "/", &cookie).await;
        assert_eq!(
            resp.status(),
            303,
            "the old cookie still works on {}",
            berth.url
        );
        let to = resp.headers().get("location").unwrap().to_str().unwrap();
        assert!(to.starts_with("/login"), "{to}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_on_one_replica_refreshes_the_other_within_a_second() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let content = push_standard(&registry.pusher()).await;
    let pg = TestPostgres::start().await;
    let (a, b) = replicas(&registry, &pg).await;
    let on_a = a.client();
    let on_b = b.client();
    assert_eq!(on_a.login(ADMIN.0, ADMIN.1).await.status, 303);
    assert_eq!(on_b.login(ADMIN.0, ADMIN.1).await.status, 303);

    // B has the list cached, with 3.20 in it.
    let digest = content.alpine_320.digest.clone();
    let before = on_b.get("/r/library/alpine").await;
    assert!(before.body.contains(&digest[7..19]), "{}", before.body);

    let csrf = on_a.csrf().await;
    let deleted = on_a
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let done = Instant::now();

    // B shows the list without 3.20 within a second, not after its TTL.
    loop {
        let page = on_b.get("/r/library/alpine").await;
        if !page.body.contains(&digest[7..19]) {
            break;
        }
        assert!(
            done.elapsed() < Duration::from_secs(1),
            "B still lists the deleted image after {:?}",
            done.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(on_b.get("/r/library/alpine").await.body.contains("3.19"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_share_one_index_and_sync_it_one_at_a_time() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    push_standard(&registry.pusher()).await;
    let pg = TestPostgres::start().await;
    let db = berth::store::Database::connect(&pg.url).await.unwrap();
    db.migrate().await.unwrap();

    // The lease: one holder at a time, free again once released.
    let first = db.sync_lease().await.unwrap().expect("a free lease");
    assert!(
        db.sync_lease().await.unwrap().is_none(),
        "held by the first"
    );
    first.release().await;
    let again = db.sync_lease().await.unwrap().expect("free after release");
    again.release().await;

    let mut flags = registry.registry_mode_flags();
    flags.extend([
        "--database-url",
        pg.url.as_str(),
        "--secret-key",
        KEY,
        "--index-username",
        ADMIN.0,
        "--index-password",
        ADMIN.1,
    ]);
    let a = TestBerth::start(&flags).await;
    let b = TestBerth::start(&flags).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while db.index_recent_syncs(1).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "no sync within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let alpine: Vec<String> = db
        .index_tags_of("library/alpine")
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.tag)
        .collect();
    assert_eq!(alpine, vec!["3.19", "3.20", "latest"]);
    // Both replicas search the one index.
    for replica in [&a, &b] {
        let cookie = session_cookie(&replica.url, ADMIN).await;
        let page = get_with_cookie(&replica.url, "/search?q=label%3Amaintainer", &cookie)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("data-hit=\"library/alpine:3.19\""), "{page}");
    }
    // Facts and names on PostgreSQL: a platform an index's image has, and
    // a name by substring in another case.
    let cookie = session_cookie(&a.url, ADMIN).await;
    for (q, hit) in [
        ("platform%3Alinux%2Farm64", "team-a/frontend/web:2.0"),
        ("FRONTEND%2FWE", "team-a/frontend/web:2.0"),
    ] {
        let page = get_with_cookie(&a.url, &format!("/search?q={q}"), &cookie)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("data-hit=\"{hit}\"")), "{q}: {page}");
    }
    // Storage and "what a delete frees" run on PostgreSQL too.
    let cookie = session_cookie(&a.url, ADMIN).await;
    let page = get_with_cookie(&a.url, "/storage", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("data-repository=\"library/alpine\""),
        "{page}"
    );
    let digest = db
        .index_tags_of("library/alpine")
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.tag == "3.19")
        .unwrap()
        .digest;
    let frees = db.index_frees("library/alpine", &[digest]).await.unwrap();
    // Its manifest, config and version layer; the busybox layer is shared.
    assert_eq!(frees.blobs.len(), 3, "{frees:?}");
    assert!(frees.undescribed.is_empty());
    let page = get_with_cookie(&b.url, "/r/library/alpine/-/delete?tags=3.19", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        crate::support::index::frees_in(&page),
        Some(frees.bytes()),
        "{page}"
    );
}
