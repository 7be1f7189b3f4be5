//! The registry index against a real registry:2: after a sync it holds
//! exactly what the registry lists (every tag at the digest a `HEAD`
//! answers, every manifest described); a resync of an unchanged registry
//! fetches nothing and makes the requests it says it made; it follows a
//! push and a delete through notifications and through a resync.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use berth::store::index::{EdgeRole, IndexKind};
use berth::store::Database;

use crate::pages::text;
use crate::support::fixtures::{docker_image, push_standard};
use crate::support::index::{database_url, indexed_flags, synced};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN, VIEWER};

const TOKEN: &str = "events-token-0123456789";

struct Setup {
    registry: TestRegistry,
    _berth: TestBerth,
    admin: Browser,
    db: Database,
}

/// A registry with the standard content, and Berth in `registry` mode
/// with an index account, its database in a file the test reads too.
async fn setup(notify: bool, extra: &[&str]) -> Setup {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let events = format!("http://{}/events", listener.local_addr().unwrap());
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        access_log: true,
        notify: notify.then(|| (events, TOKEN.into())),
        ..Default::default()
    })
    .await;
    push_standard(&registry.pusher()).await;
    let db_url = database_url();
    let mut flags = indexed_flags(&registry, &db_url);
    if notify {
        flags.extend(["--events-token", TOKEN]);
    }
    flags.extend_from_slice(extra);
    let berth = TestBerth::start_on(listener, &flags).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let db = Database::connect(&db_url).await.unwrap();
    Setup {
        registry,
        _berth: berth,
        admin,
        db,
    }
}

/// Polls until `ok` holds for the index's tags of `repo`.
async fn until_tags(db: &Database, repo: &str, ok: impl Fn(&BTreeMap<String, String>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let tags = index_tags(db, repo).await;
        if ok(&tags) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the index's tags of {repo} never changed as expected: {tags:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn index_tags(db: &Database, repo: &str) -> BTreeMap<String, String> {
    db.index_tags_of(repo)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.tag, t.digest))
        .collect()
}

/// What the registry itself says: every repository's tags and the digest
/// a `HEAD` of each answers. Read with a plain HTTP client, not Berth's.
async fn registry_truth(reg: &TestRegistry) -> BTreeMap<String, BTreeMap<String, String>> {
    let http = reg.client();
    let json = |path: String| {
        let req = http
            .get(format!("{}{path}", reg.url))
            .basic_auth(ADMIN.0, Some(ADMIN.1));
        async move {
            req.send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let catalog = json("/v2/_catalog?n=1000".into()).await;
    let mut out = BTreeMap::new();
    for repo in catalog["repositories"].as_array().unwrap() {
        let repo = repo.as_str().unwrap();
        let list = json(format!("/v2/{repo}/tags/list")).await;
        let mut tags = BTreeMap::new();
        for tag in list["tags"].as_array().cloned().unwrap_or_default() {
            let tag = tag.as_str().unwrap();
            let head = http
                .head(format!("{}/v2/{repo}/manifests/{tag}", reg.url))
                .basic_auth(ADMIN.0, Some(ADMIN.1))
                .header("accept", berth::registry::media_types::MANIFEST_ACCEPT)
                .send()
                .await
                .unwrap();
            let digest = head.headers()["docker-content-digest"]
                .to_str()
                .unwrap()
                .to_string();
            tags.insert(tag.to_string(), digest);
        }
        out.insert(repo.to_string(), tags);
    }
    out
}

async fn index_truth(db: &Database) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for repo in db.index_repositories().await.unwrap() {
        let tags = index_tags(db, &repo).await;
        out.insert(repo, tags);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_sync_the_index_holds_what_the_registry_lists_and_a_resync_fetches_nothing() {
    let s = setup(false, &["--metrics-open", "true"]).await;
    let first = synced(&s.db, 1).await;
    assert_eq!(first.error, "", "{first:?}");
    let truth = registry_truth(&s.registry).await;
    assert_eq!(index_truth(&s.db).await, truth);
    let tags: usize = truth.values().map(|t| t.len()).sum();
    assert_eq!(first.repositories as usize, truth.len());
    assert_eq!(first.tags as usize, tags);

    // Every tag's manifest is described, an index's children with it.
    for (repo, tags) in &truth {
        for (tag, digest) in tags {
            let m = s.db.index_manifest(digest).await.unwrap();
            let m = m.unwrap_or_else(|| panic!("{repo}:{tag} ({digest}) not described"));
            for child in m.edges.iter().filter(|e| e.role == EdgeRole::Manifest) {
                assert!(
                    s.db.index_manifest(&child.child).await.unwrap().is_some(),
                    "{repo}:{tag}: child {} not described",
                    child.child
                );
            }
        }
    }
    // What the pages need, straight from the index.
    let alpine =
        s.db.index_manifest(&truth["library/alpine"]["3.19"])
            .await
            .unwrap()
            .unwrap();
    assert_eq!(alpine.kind, IndexKind::Image);
    assert_eq!(alpine.platform, "linux/amd64");
    assert_eq!(alpine.created, Some(1_701_943_200)); // 2023-12-07T10:00:00Z
    assert_eq!(
        alpine.labels,
        vec![("maintainer".to_string(), "berth-tests".to_string())]
    );
    let layers: u64 = alpine
        .edges
        .iter()
        .filter(|e| e.role.is_blob())
        .map(|e| e.size)
        .sum();
    assert_eq!(alpine.size, Some(layers), "config + layers");
    let web =
        s.db.index_manifest(&truth["team-a/frontend/web"]["2.0"])
            .await
            .unwrap()
            .unwrap();
    assert_eq!(web.kind, IndexKind::Index);
    let platforms: Vec<&str> = web.edges.iter().map(|e| e.platform.as_str()).collect();
    assert_eq!(platforms, vec!["linux/amd64", "linux/arm64/v8"]);

    // A resync of the unchanged registry: nothing fetched, and exactly the
    // catalog, one tag list per repository and one HEAD per tag, as the
    // registry's own access log counts them.
    let csrf = s.admin.csrf().await;
    s.registry.settle_log().await;
    let from = s.registry.log().len();
    let asked = s
        .admin
        .post_form("/admin/registry/sync", &[("csrf", &csrf)])
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(
        asked.location.as_deref(),
        Some("/admin/registry?sync=asked")
    );
    let second = synced(&s.db, 2).await;
    s.registry.settle_log().await;
    assert_eq!(second.error, "");
    assert_eq!(second.fetched, 0, "{second:?}");
    let expected = 1 + truth.len() + tags;
    // The registry's own access log, since the mark.
    let logged: Vec<String> = s.registry.log()[from..]
        .lines()
        .filter(|l| l.contains("\"GET /v2/") || l.contains("\"HEAD /v2/"))
        .filter(|l| !l.contains("berth-log-marker"))
        .map(|l| l.split('"').nth(1).unwrap_or(l).to_string())
        .collect();
    assert_eq!(
        second.requests as usize, expected,
        "{second:?}: {logged:#?}"
    );
    assert_eq!(logged.len(), expected, "{logged:#?}");
    println!(
        "resync of {} repositories, {tags} tags: {} requests in {} ms",
        truth.len(),
        second.requests,
        second.finished_ms - second.started_ms
    );

    // And /metrics (read at scrape time, from the database).
    let metrics = s.admin.get("/metrics").await.body;
    for line in [
        format!("berth_index_items{{kind=\"tags\"}} {tags}"),
        format!("berth_index_items{{kind=\"repositories\"}} {}", truth.len()),
        format!("berth_index_last_sync_requests {expected}"),
        "berth_index_sync_running 0".to_string(),
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "{line} missing:\n{metrics}"
        );
    }

    // The registry page shows it.
    let page = s.admin.get("/admin/registry").await;
    assert_eq!(page.status, 200);
    let words = text(&page.body);
    assert!(
        words.contains(&format!("{} repositories, {tags} tags", truth.len())),
        "{words}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_follows_a_push_and_a_delete_through_notifications() {
    // A long interval: only the events can explain a change.
    let s = setup(true, &["--index-interval", "3600"]).await;
    synced(&s.db, 1).await;
    let pushed = s
        .registry
        .pusher()
        .push_image(
            "team-x/service",
            "2.0",
            &docker_image("2.0", "2026-11-01T10:00:00Z"),
        )
        .await
        .unwrap();
    until_tags(&s.db, "team-x/service", |t| {
        t.get("2.0") == Some(&pushed.digest)
    })
    .await;
    let m = s.db.index_manifest(&pushed.digest).await.unwrap().unwrap();
    assert_eq!(m.kind, IndexKind::Image);
    assert_eq!(m.created, Some(1_793_527_200));

    // A delete by another client (not Berth) reaches the index as an event.
    let alpine = index_tags(&s.db, "library/alpine").await;
    s.registry
        .pusher()
        .delete_manifest("library/alpine", &alpine["3.20"])
        .await
        .unwrap();
    until_tags(&s.db, "library/alpine", |t| {
        !t.contains_key("3.20") && !t.contains_key("latest") && t.contains_key("3.19")
    })
    .await;
    assert_eq!(s.db.index_recent_syncs(10).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_notifications_a_resync_finds_a_push_and_a_delete_and_berths_own_delete_at_once() {
    let s = setup(false, &["--index-interval", "3600"]).await;
    synced(&s.db, 1).await;
    let p = s.registry.pusher();
    let pushed = p
        .push_image(
            "team-y/api",
            "1.0",
            &docker_image("1.0", "2026-10-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let alpine = index_tags(&s.db, "library/alpine").await;
    p.delete_manifest("library/alpine", &alpine["3.19"])
        .await
        .unwrap();
    // Not yet: nothing told Berth.
    assert!(index_tags(&s.db, "team-y/api").await.is_empty());

    let csrf = s.admin.csrf().await;
    s.admin
        .post_form("/admin/registry/sync", &[("csrf", &csrf)])
        .await;
    let second = synced(&s.db, 2).await;
    assert_eq!(second.fetched, 1, "only the new image: {second:?}");
    assert_eq!(index_truth(&s.db).await, registry_truth(&s.registry).await);
    assert_eq!(
        index_tags(&s.db, "team-y/api").await.get("1.0"),
        Some(&pushed.digest)
    );

    // Berth's own delete: the registry's event of it would carry Berth's
    // User-Agent (ignored), so the delete itself updates the index.
    let digest = alpine["3.20"].clone();
    let deleted = s
        .admin
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(deleted.status, 303, "{}", text(&deleted.body));
    let left = index_tags(&s.db, "library/alpine").await;
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_may_ask_for_a_sync_and_without_an_account_the_index_is_partial() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let berth = TestBerth::start(&registry.registry_mode_flags()).await;
    let viewer = berth.client();
    assert_eq!(viewer.login(VIEWER.0, VIEWER.1).await.status, 303);
    let csrf = viewer.csrf().await;
    let refused = viewer
        .post_form("/admin/registry/sync", &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, 403);

    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let no_token = admin.post_form("/admin/registry/sync", &[]).await;
    assert_eq!(no_token.status, 403, "the CSRF token is required");
    let page = admin.get("/admin/registry").await;
    let words = text(&page.body);
    assert!(
        words.contains("Partial: no account reads the whole registry"),
        "{words}"
    );
    assert!(!page.body.contains("data-testid=\"index-sync-now\""));
}

/// Without an index account the index is partial: a repository a user
/// opens is recorded with their own credentials, and search and storage
/// cover it; what a delete frees is not claimed, since a blob may be used
/// in a repository nobody has opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_account_the_index_holds_what_users_open() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    push_standard(&registry.pusher()).await;
    let db_url = database_url();
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--database-url", db_url.as_str(), "--index-opened", "true"]);
    let berth = TestBerth::start(&flags).await;
    let viewer = berth.client();
    assert_eq!(viewer.login(VIEWER.0, VIEWER.1).await.status, 303);
    let db = crate::support::index::open(&db_url).await;

    // Nothing is indexed until someone opens a repository.
    let found = text(&viewer.get("/search?q=alpine").await.body);
    assert!(
        found.contains(
            "tags, digests, labels and platforms only in the repositories users have opened"
        ),
        "{found}"
    );
    assert!(!found.contains("3.19"), "{found}");
    assert_eq!(viewer.get("/r/library/alpine").await.status, 200);
    until_tags(&db, "library/alpine", |t| t.len() == 3).await;

    let found = viewer.get("/search?q=alpine").await.body;
    assert!(
        found.contains("data-hit=\"library/alpine:3.19\""),
        "{}",
        text(&found)
    );
    let storage = viewer.get("/storage").await.body;
    assert!(storage.contains("data-repository=\"library/alpine\""));
    assert!(
        !storage.contains("data-repository=\"team-a/backend/app\""),
        "not opened"
    );
    assert!(text(&storage).contains("cover only the repositories users have opened"));

    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let plan = admin.get("/r/library/alpine/-/delete?tags=3.19").await;
    assert_eq!(plan.status, 200);
    assert_eq!(
        crate::support::index::frees_in(&plan.body),
        None,
        "no figure is claimed"
    );
    assert!(text(&plan.body).contains("cannot say what garbage-collect would free"));
}
