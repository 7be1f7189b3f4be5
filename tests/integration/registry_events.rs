//! A real registry:2 whose `notifications` point at Berth's `/events`: a
//! push shows in /activity within 2 s and its first view needs no manifest
//! GET; a pull is counted in the tag list; a delete made outside Berth drops
//! the cached lists at once; Berth's own requests are not counted.

use std::time::{Duration, Instant};

use crate::pages::text;
use crate::support::fixtures::{docker_image, push_standard};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN};

const TOKEN: &str = "events-token-0123456789";

struct Setup {
    registry: TestRegistry,
    berth: TestBerth,
    admin: Browser,
}

async fn setup(extra: &[&str]) -> Setup {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let events = format!("http://{}/events", listener.local_addr().unwrap());
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        access_log: true,
        notify: Some((events, TOKEN.into())),
        ..Default::default()
    })
    .await;
    let mut flags = registry.registry_mode_flags();
    flags.extend([
        // The service account prefetches what is pushed.
        "--registry-username",
        ADMIN.0,
        "--registry-password",
        ADMIN.1,
        "--events-token",
        TOKEN,
        // Long enough that only an event can explain a fresh list.
        "--list-ttl",
        "600",
    ]);
    flags.extend_from_slice(extra);
    let berth = TestBerth::start_on(listener, &flags).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    Setup {
        registry,
        berth,
        admin,
    }
}

/// Polls `path` until its body satisfies `ok`; returns how long it took.
async fn until(b: &Browser, path: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let page = b.get(path).await;
        if ok(&page.body) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "{path} did not change within {limit:?}:\n{}",
            text(&page.body)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn manifest_gets(log: &str, repo: &str) -> usize {
    log.lines()
        .filter(|l| l.contains(&format!("\"GET /v2/{repo}/manifests/")))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_shows_in_activity_fast_and_its_first_view_needs_no_manifest_get() {
    let s = setup(&[]).await;
    let empty = s.admin.get("/activity").await;
    assert_eq!(empty.status, 200);
    assert!(
        text(&empty.body).contains("No activity reported yet"),
        "{}",
        text(&empty.body)
    );

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
    let took = until(
        &s.admin,
        "/activity?action=push",
        Duration::from_secs(2),
        |b| b.contains("data-event-repository=\"team-x/service\" data-event-tag=\"2.0\""),
    )
    .await;
    println!("push → /activity: {took:?}");

    // The prefetch ran with the event; give its GETs time to be logged,
    // then mark the log.
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.registry.settle_log().await;
    let before = manifest_gets(&s.registry.log(), "team-x/service");
    assert!(before >= 1, "the prefetch fetched the manifest");

    // First views: the repository and the tag.
    let list = s.admin.get("/r/team-x/service").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains(&pushed.digest[7..19]),
        "{}",
        text(&list.body)
    );
    let tag = s.admin.get("/r/team-x/service/-/tag/2.0").await;
    assert_eq!(tag.status, 200, "{}", text(&tag.body));
    s.registry.settle_log().await;
    let after = manifest_gets(&s.registry.log(), "team-x/service");
    assert_eq!(
        after,
        before,
        "the first views made {} manifest GETs",
        after - before
    );
    // The repository page shows its own activity.
    assert!(list.body.contains("data-testid=\"repo-activity\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulls_are_counted_and_berths_own_reads_are_not() {
    let s = setup(&[]).await;
    push_standard(&s.registry.pusher()).await;
    // Berth reads every tag's manifest to list them: none of that counts.
    let list = s.admin.get("/r/library/alpine").await;
    assert!(list.body.contains("Pulls (30 d)"), "{}", text(&list.body));

    // Two pulls of 3.19 by a client, as docker would.
    let client = reqwest::Client::builder()
        .user_agent("docker/27.0 go/go1.22")
        .build()
        .unwrap();
    for _ in 0..2 {
        let r = client
            .get(format!(
                "{}/v2/library/alpine/manifests/3.19",
                s.registry.url
            ))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .header(
                "accept",
                "application/vnd.docker.distribution.manifest.v2+json",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    until(
        &s.admin,
        "/r/library/alpine?sort=pulls",
        Duration::from_secs(3),
        |b| {
            // Most pulled first, with its count.
            let words = text(b).split_whitespace().collect::<Vec<_>>().join(" ");
            // 3.19's row: last pulled "just now", 2 pulls, then its platform.
            words.contains("Pulls (30 d) Platforms Pull 3.19 ")
                && words.contains("ago just now 2 linux/amd64")
        },
    )
    .await;
    let page = s.admin.get("/activity?action=pull").await;
    let pulls = page.body.matches("data-action=\"pull\"").count();
    assert_eq!(pulls, 2, "only the client's pulls: {}", text(&page.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_made_outside_berth_drops_the_cached_lists_at_once() {
    let s = setup(&[]).await;
    let content = push_standard(&s.registry.pusher()).await;
    let digest = content.alpine_319.digest.clone();
    // Cached now, for ten minutes.
    assert!(s
        .admin
        .get("/r/library/alpine")
        .await
        .body
        .contains(&digest[7..19]));

    let r = s
        .registry
        .client()
        .delete(format!(
            "{}/v2/library/alpine/manifests/{digest}",
            s.registry.url
        ))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let took = until(&s.admin, "/r/library/alpine", Duration::from_secs(2), |b| {
        text(b)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(" 2 tags ")
    })
    .await;
    println!("delete outside Berth → list refreshed: {took:?}");
    let page = s.admin.get("/activity?action=delete").await;
    assert!(
        page.body.contains("data-action=\"delete\""),
        "{}",
        text(&page.body)
    );
}

/// Berth knows its own requests by a mark derived from its secret key, not
/// by the `berth/` prefix anyone can send: a client calling itself
/// `berth/0` still has its push in `/activity` and the index, its delete
/// recorded, and its pulls counted, while Berth's own reads still are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_berths_user_agent_is_still_recorded() {
    let db_url = crate::support::index::database_url();
    let s = setup(&[
        "--database-url",
        &db_url,
        "--index-username",
        ADMIN.0,
        "--index-password",
        ADMIN.1,
        // No sync of its own: only the push's event can put it in the index.
        "--index-interval",
        "0",
    ])
    .await;
    let spoofing = s
        .registry
        .client_builder()
        .user_agent("berth/0")
        .build()
        .unwrap();
    let pusher = berth::seed::Pusher::with_client(
        spoofing.clone(),
        s.registry.url.parse().unwrap(),
        s.registry.admin_credentials(),
    );
    let image = docker_image("1.0", "2026-11-01T10:00:00Z");
    let pushed = pusher
        .push_image("team-x/hidden", "1.0", &image)
        .await
        .unwrap();
    until(
        &s.admin,
        "/activity?action=push",
        Duration::from_secs(3),
        |b| b.contains("data-event-repository=\"team-x/hidden\" data-event-tag=\"1.0\""),
    )
    .await;
    let db = crate::support::index::open(&db_url).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let held = db.index_tags_of("team-x/hidden").await.unwrap();
        if held
            .iter()
            .any(|t| t.tag == "1.0" && t.digest == pushed.digest)
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the push never reached the index: {held:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Berth's own reads of the tag are not pulls; the client's are.
    let list = s.admin.get("/r/team-x/hidden").await;
    assert_eq!(list.status, 200);
    let r = spoofing
        .get(format!("{}/v2/team-x/hidden/manifests/1.0", s.registry.url))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .header(
            "accept",
            "application/vnd.docker.distribution.manifest.v2+json",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pulls = until(
        &s.admin,
        "/activity?action=pull",
        Duration::from_secs(3),
        |b| b.contains("data-action=\"pull\""),
    )
    .await;
    println!("spoofed pull → /activity: {pulls:?}");
    let page = s.admin.get("/activity?action=pull").await;
    assert_eq!(
        page.body.matches("data-action=\"pull\"").count(),
        1,
        "the client's one pull, and none of Berth's reads: {}",
        text(&page.body)
    );

    let r = spoofing
        .delete(format!(
            "{}/v2/team-x/hidden/manifests/{}",
            s.registry.url, pushed.digest
        ))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    until(
        &s.admin,
        "/activity?action=delete",
        Duration::from_secs(3),
        |b| b.contains("data-action=\"delete\""),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_endpoint_wants_the_token_and_the_envelope_type() {
    let s = setup(&[]).await;
    let post = |auth: Option<&str>, ct: &str, body: &str| {
        let mut req = reqwest::Client::new()
            .post(format!("{}/events", s.berth.url))
            .header("content-type", ct)
            .body(body.to_string());
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    let v1 = "application/vnd.docker.distribution.events.v1+json";
    let v2 = "application/vnd.docker.distribution.events.v2+json";
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        post(None, v1, "{\"events\":[]}").await.unwrap().status(),
        401
    );
    assert_eq!(
        post(Some("Bearer wrong-token-0123456"), v1, "{\"events\":[]}")
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        post(Some(&bearer), "application/json", "{\"events\":[]}")
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(
        post(Some(&bearer), v1, "nonsense").await.unwrap().status(),
        400
    );
    assert_eq!(
        post(Some(&bearer), v1, "{\"events\":[]}")
            .await
            .unwrap()
            .status(),
        202
    );
    assert_eq!(
        post(Some(&bearer), v2, "{\"events\":[]}")
            .await
            .unwrap()
            .status(),
        202
    );

    // Without a token set, the endpoint is off.
    let registry = TestRegistry::start(RegistryOpts::default()).await;
    let off = TestBerth::start(&["--registry-url", &registry.url]).await;
    let r = reqwest::Client::new()
        .post(format!("{}/events", off.url))
        .header("content-type", v1)
        .header("authorization", &bearer)
        .body("{\"events\":[]}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// On a token registry that lists every repository but grants pull per
/// repository, `/activity` and the landing page's latest pushes show a
/// user only the repositories they may pull: dave, who may list all and
/// pull only `team-c/…`, sees team-c's push and nothing of team-a's (its
/// tags, digests, actor or address); alice, who may pull all, sees both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_and_latest_pushes_show_only_repositories_the_reader_may_pull() {
    use crate::support::{TokenServer, ALICE, DAVE};
    let tokens = TokenServer::start().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let events = format!("http://{}/events", listener.local_addr().unwrap());
    let registry = TestRegistry::start(RegistryOpts {
        token: Some(tokens.auth_config()),
        notify: Some((events, TOKEN.into())),
        ..Default::default()
    })
    .await;
    let berth = TestBerth::start_on(
        listener,
        &[
            "--registry-url",
            &registry.url,
            "--auth",
            "registry",
            "--admins",
            ALICE.0,
            "--events-token",
            TOKEN,
        ],
    )
    .await;
    let p = registry.pusher_for(&["team-a/backend/app", "team-c/app"]);
    let a = p
        .push_image(
            "team-a/backend/app",
            "secret-1",
            &docker_image("1", "2026-11-01T10:00:00Z"),
        )
        .await
        .unwrap();
    p.push_image(
        "team-c/app",
        "open-1",
        &docker_image("2", "2026-11-01T10:00:00Z"),
    )
    .await
    .unwrap();
    let alice = berth.client();
    assert_eq!(alice.login(ALICE.0, ALICE.1).await.status, 303);
    let dave = berth.client();
    assert_eq!(dave.login(DAVE.0, DAVE.1).await.status, 303);
    // Both pushes recorded: alice sees both.
    until(
        &alice,
        "/activity?action=push",
        Duration::from_secs(3),
        |b| {
            b.contains("data-event-repository=\"team-a/backend/app\"")
                && b.contains("data-event-repository=\"team-c/app\"")
        },
    )
    .await;
    let home = alice.get("/").await;
    assert!(home.body.contains("secret-1"), "{}", text(&home.body));

    // Dave's catalog lists team-a, but he may not pull it.
    let listed = dave.get("/").await;
    assert_eq!(listed.status, 200, "{}", text(&listed.body));
    let activity = dave.get("/activity").await;
    assert_eq!(activity.status, 200, "{}", text(&activity.body));
    assert!(
        activity
            .body
            .contains("data-event-repository=\"team-c/app\""),
        "{}",
        text(&activity.body)
    );
    for page in [&activity, &listed] {
        assert!(!page.body.contains("secret-1"), "{}", text(&page.body));
        assert!(
            !page.body.contains(&a.digest[7..19]),
            "{}",
            text(&page.body)
        );
        assert!(
            !page.body.contains("data-event-repository=\"team-a"),
            "{}",
            text(&page.body)
        );
    }
    assert!(listed.body.contains("open-1"), "{}", text(&listed.body));
}
