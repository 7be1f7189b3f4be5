//! Repository pages from the registry index: after a restart, every
//! repository of the demo and supply-chain content (images, a manifest
//! list, attested indexes, an index with a missing child, cosign tags, an
//! SBOM referrer, Helm charts, artifacts) renders the same table as a live
//! walk of the registry, with no manifest or blob fetched; the page says
//! when its tags were checked, and "Check now" shows a push at once.

use crate::pages::text;
use crate::support::fixtures::docker_image;
use crate::support::index::{database_url, indexed_flags, open, synced};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN};

/// The table and everything the page says about the list, without the
/// line that says when it was checked, and with the session's CSRF token
/// blanked (two sessions, two tokens).
fn table(html: &str) -> String {
    let start = html.find("data-testid=\"tag-count\"").expect("a tag table");
    let end = html[start..].find("</table>").expect("table end") + start;
    let part = &html[start..end];
    let checked = part
        .find("data-testid=\"tags-checked\"")
        .and_then(|at| part[..at].rfind("<p"));
    let part = match (checked, part.find("<p class=\"sort\">")) {
        (Some(a), Some(b)) => format!("{}{}", &part[..a], &part[b..]),
        _ => part.to_string(),
    };
    let mut out = String::new();
    let mut rest = part.as_str();
    while let Some(at) = rest.find("csrf") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        if let Some(hex) = rest
            .char_indices()
            .take(40)
            .find(|(i, _)| {
                rest[*i..].len() >= 64 && rest[*i..*i + 64].bytes().all(|b| b.is_ascii_hexdigit())
            })
            .map(|(i, _)| i)
        {
            out.push_str(&rest[..hex]);
            out.push_str("TOKEN");
            rest = &rest[hex + 64..];
        }
    }
    out.push_str(rest);
    out
}

async fn logged_in(berth: &TestBerth) -> Browser {
    let b = berth.client();
    assert_eq!(b.login(ADMIN.0, ADMIN.1).await.status, 303);
    b
}

fn fetches(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            (l.contains("\"GET /v2/") && (l.contains("/manifests/") || l.contains("/blobs/")))
                && !l.contains("berth-log-marker")
        })
        .map(|l| l.split('"').nth(1).unwrap_or(l).to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_every_repository_renders_from_the_index_as_the_live_walk_does() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        access_log: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    berth::seed::demo::seed_demo(&p).await.unwrap();
    berth::seed::demo::seed_supply_chain(&p).await.unwrap();
    let db_url = database_url();
    let mut indexed = indexed_flags(&registry, &db_url);
    // The first process syncs the index, then goes away.
    {
        let first = TestBerth::start(&indexed).await;
        // Logged in, Berth has made its database: only then does the test
        // open it too (two first openings of one SQLite file can collide).
        logged_in(&first).await;
        synced(&open(&db_url).await, 1).await;
    }
    // A restarted Berth on that database (syncing only when asked), and a
    // Berth without an index that walks the registry.
    indexed.extend(["--index-interval", "0"]);
    let restarted = TestBerth::start(&indexed).await;
    let live = TestBerth::start(&registry.registry_mode_flags()).await;
    let (from_index, walked) = (logged_in(&restarted).await, logged_in(&live).await);

    let db = open(&db_url).await;
    let repos = db.index_repositories().await.unwrap();
    assert!(repos.len() >= 8, "{repos:?}");
    registry.settle_log().await;
    let from = registry.log().len();
    let mut pages = Vec::new();
    for repo in &repos {
        for query in ["", "?signatures=show"] {
            let path = format!("/r/{repo}{query}");
            let page = from_index.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {}", text(&page.body));
            pages.push((path, page.body));
        }
    }
    registry.settle_log().await;
    let fetched = fetches(&registry.log()[from..]);
    assert!(
        fetched.is_empty(),
        "pages from the index fetched {fetched:#?}"
    );
    for (path, body) in pages {
        assert!(
            text(&body).contains("Tags checked with the registry"),
            "{path}"
        );
        let reference = walked.get(&path).await;
        assert_eq!(reference.status, 200, "{path}");
        assert_eq!(table(&body), table(&reference.body), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_now_shows_a_push_the_index_was_not_told_of() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    p.push_image(
        "team/api",
        "1.0",
        &docker_image("1.0", "2026-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let db_url = database_url();
    let mut flags = indexed_flags(&registry, &db_url);
    // Lists are kept long: only "Check now" can explain a fresh one.
    flags.extend(["--list-ttl", "600"]);
    let berth = TestBerth::start(&flags).await;
    let admin = logged_in(&berth).await;
    let db = open(&db_url).await;
    synced(&db, 1).await;
    let before = admin.get("/r/team/api").await;
    assert!(
        text(&before.body).contains("1 tag"),
        "{}",
        text(&before.body)
    );
    assert!(before.body.contains("data-testid=\"tags-refresh\""));

    p.push_image(
        "team/api",
        "2.0",
        &docker_image("2.0", "2026-02-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let cached = admin.get("/r/team/api").await;
    assert!(
        text(&cached.body).contains("1 tag"),
        "still the cached list"
    );
    let checked = admin.get("/r/team/api?sort=name&refresh=1").await;
    assert_eq!(checked.status, 200);
    assert!(
        text(&checked.body).contains("2 tags"),
        "{}",
        text(&checked.body)
    );
    assert!(text(&checked.body).contains("Tags checked with the registry just now"));
    let held: Vec<String> = db
        .index_tags_of("team/api")
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.tag)
        .collect();
    assert_eq!(held, vec!["1.0", "2.0"]);
}

/// "Check now" on names the registry does not have: in `registry` mode the
/// caller's own credentials are asked first (a viewer learns nothing the
/// registry would not tell them), and in `htpasswd` mode, where the index
/// account walks for everyone, a name the registry does not know gets no
/// row. Either way 200 such refreshes leave the index's repositories as
/// they were, while a refresh of a real repository still checks it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshes_of_names_the_registry_lacks_add_nothing_to_the_index() {
    use futures::StreamExt;
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    let image = docker_image("1.0", "2026-01-01T00:00:00Z");
    p.push_image("team/api", "1.0", &image).await.unwrap();
    for (mode, db_url) in [("registry", database_url()), ("htpasswd", database_url())] {
        let (berth, browser) = if mode == "registry" {
            let berth = TestBerth::start(&indexed_flags(&registry, &db_url)).await;
            let viewer = berth.client();
            let (user, password) = crate::support::VIEWER;
            assert_eq!(viewer.login(user, password).await.status, 303);
            (berth, viewer)
        } else {
            TestBerth::with_local_admin_flags(
                &registry.url,
                &[
                    "--registry-username",
                    ADMIN.0,
                    "--registry-password",
                    ADMIN.1,
                    "--database-url",
                    &db_url,
                    // The service account's index syncs at start.
                    "--index-interval",
                    "3600",
                ],
            )
            .await
        };
        let db = open(&db_url).await;
        synced(&db, 1).await;
        let before = db.index_repositories().await.unwrap();
        assert_eq!(before, vec!["team/api"], "{mode}");
        let statuses: Vec<u16> = futures::stream::iter(0..200)
            .map(|n| {
                let b = &browser;
                async move { b.get(&format!("/r/nope-{n}?refresh=1")).await.status }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        assert!(statuses.iter().all(|s| *s == 404), "{mode}: {statuses:?}");
        assert_eq!(db.index_repositories().await.unwrap(), before, "{mode}");

        // A real repository is still checked: a tag pushed behind the
        // index's back shows after one refresh.
        let tag = format!("{mode}-check");
        p.push_image("team/api", &tag, &image).await.unwrap();
        let page = browser.get("/r/team/api?refresh=1").await;
        assert_eq!(page.status, 200, "{mode}");
        let held: Vec<String> = db
            .index_tags_of("team/api")
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.tag)
            .collect();
        assert!(held.contains(&tag), "{mode}: {held:?}");
        drop(berth);
    }
}

/// A hundred "Check now" clicks on one 10-tag repository at once make at
/// most two walks of it (one running, one after it for those that came
/// during the first), counted as manifest HEADs in the registry's own
/// access log: the clicks that arrive while one runs wait for it, and
/// those within 10 s of the last reuse it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refreshes_of_one_repository_share_its_check() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        access_log: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    for n in 0..10 {
        let version = format!("1.{n}");
        p.push_image(
            "team/api",
            &version,
            &docker_image(&version, "2026-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    }
    let db_url = database_url();
    let berth = TestBerth::start(&indexed_flags(&registry, &db_url)).await;
    let admin = logged_in(&berth).await;
    synced(&open(&db_url).await, 1).await;
    // The caller's own access to the repository, checked once, is cached.
    assert_eq!(admin.get("/r/team/api").await.status, 200);
    registry.settle_log().await;
    let from = registry.log().len();
    let pages =
        futures::future::join_all((0..100).map(|_| admin.get("/r/team/api?refresh=1"))).await;
    assert!(pages.iter().all(|p| p.status == 200));
    registry.settle_log().await;
    let heads = registry.log()[from..]
        .lines()
        .filter(|l| l.contains("\"HEAD /v2/team/api/manifests/"))
        .count();
    println!(
        "100 concurrent refreshes: {heads} tag HEADs ({} walks)",
        heads / 10
    );
    assert!(
        (10..=20).contains(&heads),
        "100 refreshes made {heads} HEADs of a 10-tag repository"
    );
}
