//! `/search` over the registry index, against a real registry:2: names,
//! tags, digests of manifests and of layers, labels, platforms and kinds;
//! mistakes explained with a 400; and on a token registry, nobody finds
//! through the index a repository their own token cannot pull.

use std::time::{Duration, Instant};

use crate::pages::text;
use crate::support::fixtures::{push_standard, push_standard_and_team_c, TEAM_C_REPO};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, TokenServer, ADMIN, ALICE, CAROL};

/// Waits until the registry page reports a finished sync.
async fn until_synced(admin: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = admin.get("/admin/registry").await;
        if !text(&page.body).contains("Not synced yet")
            && page.body.contains("data-running=\"false\"")
        {
            return;
        }
        assert!(Instant::now() < deadline, "no sync within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Berth on a token registry, its index reading with alice (who may read
/// everything, and is its admin); alice logged in once the index synced.
async fn indexed_by_alice(registry: &TestRegistry) -> (TestBerth, Browser) {
    let berth = TestBerth::start(&[
        "--registry-url",
        &registry.url,
        "--auth",
        "registry",
        "--admins",
        ALICE.0,
        "--index-username",
        ALICE.0,
        "--index-password",
        ALICE.1,
    ])
    .await;
    let alice = berth.client();
    assert_eq!(alice.login(ALICE.0, ALICE.1).await.status, 303);
    until_synced(&alice).await;
    (berth, alice)
}

/// `repo:tag` of every hit on a results page, in order.
fn hits(html: &str) -> Vec<String> {
    html.split("data-hit=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

async fn search(b: &Browser, q: &str) -> (u16, Vec<String>, String) {
    let page = b
        .get(&format!("/search?q={}", berth::routes::encode(q)))
        .await;
    (page.status, hits(&page.body), text(&page.body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_digests_layers_labels_platforms_and_kinds_are_found() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let content = push_standard(&registry.pusher()).await;
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--index-username", ADMIN.0, "--index-password", ADMIN.1]);
    let berth = TestBerth::start(&flags).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    until_synced(&admin).await;

    // The header carries the box on every page, as a plain GET form.
    let home = admin.get("/").await;
    assert!(home.body.contains("data-testid=\"global-search\""));
    assert!(home.body.contains("action=\"/search\""));

    let (status, mut found, words) = search(&admin, "alpine").await;
    assert_eq!(status, 200, "{words}");
    found.sort();
    assert_eq!(
        found,
        vec![
            "library/alpine:3.19",
            "library/alpine:3.20",
            "library/alpine:latest"
        ]
    );
    assert!(words.contains("3 tags in 1 repository"), "{words}");

    // A manifest digest, with and without `sha256:`.
    let d = &content.alpine_319.digest;
    assert_eq!(
        search(&admin, &d[..19]).await.1,
        vec!["library/alpine:3.19"]
    );
    assert_eq!(
        search(&admin, &d[7..19]).await.1,
        vec!["library/alpine:3.19"]
    );

    // A layer: which images contain it? The arm64 image's only layer is
    // in the arm64-only tag and in the 2.0 index.
    let manifest: serde_json::Value = registry
        .client()
        .get(format!(
            "{}/v2/team-a/frontend/web/manifests/{}",
            registry.url, content.web_arm64.digest
        ))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .header("accept", "application/vnd.oci.image.manifest.v1+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let layer = manifest["layers"][0]["digest"].as_str().unwrap();
    let mut by_layer = search(&admin, &layer[..20]).await.1;
    by_layer.sort();
    assert_eq!(
        by_layer,
        vec!["team-a/frontend/web:2.0", "team-a/frontend/web:arm64-only"]
    );

    let mut labelled = search(&admin, "label:maintainer=berth-tests").await.1;
    labelled.sort();
    assert_eq!(
        labelled,
        vec![
            "library/alpine:3.19",
            "library/alpine:3.20",
            "library/alpine:latest",
            "my.org/tool_x-cli:1.0"
        ]
    );
    let mut arm = search(&admin, "platform:linux/arm64").await.1;
    arm.sort();
    assert_eq!(
        arm,
        vec!["team-a/frontend/web:2.0", "team-a/frontend/web:arm64-only"]
    );
    assert_eq!(
        search(&admin, "kind:index").await.1,
        vec!["team-a/frontend/web:2.0"]
    );
    assert_eq!(search(&admin, "web kind:image 64").await.1.len(), 2);

    let (_, none, words) = search(&admin, "no-such-thing").await;
    assert!(none.is_empty());
    assert!(words.contains("Nothing matches."), "{words}");

    // Mistakes are explained, with an honest status.
    let (status, _, words) = search(&admin, "kind:car").await;
    assert_eq!(status, 400);
    assert!(words.contains("There is no kind “car”"), "{words}");
    let (status, _, words) = search(&admin, "sha256:abc").await;
    assert_eq!(status, 400);
    assert!(words.contains("not a digest prefix"), "{words}");

    // Results link to the tag pages.
    let page = admin.get("/search?q=3.19").await;
    assert!(page.body.contains("href=\"/r/library/alpine/-/tag/3.19\""));
}

/// Three repositories of 80 tags each, all one labelled image: more than
/// a page shows. The page says so and shows whole repositories, in order,
/// not a scatter of single tags.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_matching_more_than_a_page_shows_the_first_repositories_whole() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    let mut spec = berth::seed::ImageSpec::new(
        berth::seed::ImageFormat::Oci,
        "2025-01-01T00:00:00Z",
        &[("app/batch", "batch")],
    );
    spec.labels = vec![("batch".into(), "yes".into())];
    for r in 0..3 {
        let repo = format!("many/r{r}");
        let pushed = p.push_image(&repo, "t00", &spec).await.expect("push");
        let body = registry
            .client()
            .get(format!(
                "{}/v2/{repo}/manifests/{}",
                registry.url, pushed.digest
            ))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .header("accept", pushed.media_type.as_str())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        for t in 1..80 {
            p.put_manifest(&repo, &format!("t{t:02}"), &pushed.media_type, &body)
                .await
                .expect("tag");
        }
    }
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--index-username", ADMIN.0, "--index-password", ADMIN.1]);
    let berth = TestBerth::start(&flags).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    until_synced(&admin).await;

    let (status, found, words) = search(&admin, "label:batch=yes").await;
    assert_eq!(status, 200, "{words}");
    assert_eq!(found.len(), 200, "{words}");
    assert!(
        words.contains("More tags match than the 200 shown"),
        "{words}"
    );
    let count = |repo: &str| {
        found
            .iter()
            .filter(|h| h.starts_with(&format!("{repo}:")))
            .count()
    };
    // Repositories in order, each complete before the next starts.
    assert_eq!(count("many/r0"), 80);
    assert_eq!(count("many/r1"), 80);
    assert_eq!(count("many/r2"), 40);
    assert!(found
        .windows(2)
        .all(|w| w[0] <= w[1] || w[0].split(':').next() == w[1].split(':').next()));
    // A narrower query is whole and says nothing of more.
    let (_, found, words) = search(&admin, "many/r1 label:batch=yes").await;
    assert_eq!(found.len(), 80);
    assert!(!words.contains("More tags match"), "{words}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_token_registry_nobody_finds_what_their_token_cannot_pull() {
    let tokens = TokenServer::start().await;
    let registry = TestRegistry::start(RegistryOpts {
        token: Some(tokens.auth_config()),
        ..Default::default()
    })
    .await;
    push_standard_and_team_c(&registry).await;
    let (berth, alice) = indexed_by_alice(&registry).await;
    let carol = berth.client();
    assert_eq!(carol.login(CAROL.0, CAROL.1).await.status, 303);

    // "app" is in team-a/backend/app and in team-c/app.
    let (_, for_alice, _) = search(&alice, "app").await;
    assert!(
        for_alice
            .iter()
            .any(|h| h.starts_with("team-a/backend/app:")),
        "{for_alice:?}"
    );
    assert!(for_alice.contains(&format!("{TEAM_C_REPO}:1.0")));

    // Carol has no catalog and may pull only team-c/*.
    let (status, for_carol, words) = search(&carol, "app").await;
    assert_eq!(status, 200, "{words}");
    assert_eq!(for_carol, vec![format!("{TEAM_C_REPO}:1.0")]);
    assert!(!words.contains("team-a"), "{words}");
    // Every way in is filtered the same: digests, labels, kinds.
    for q in [
        "kind:image",
        "kind:index",
        "label:maintainer",
        "platform:linux/amd64",
    ] {
        let (_, found, words) = search(&carol, q).await;
        assert!(
            found.iter().all(|h| h.starts_with("team-c/")),
            "{q}: {found:?}"
        );
        assert!(!words.contains("team-a"), "{q}: {words}");
    }

    // Storage and the landing page's overview follow the same rule.
    let storage = carol.get("/storage").await;
    assert_eq!(storage.status, 200, "{}", storage.body);
    let words = crate::pages::text(&storage.body);
    assert!(
        storage
            .body
            .contains(&format!("data-repository=\"{TEAM_C_REPO}\"")),
        "{words}"
    );
    assert!(
        !words.contains("team-a") && !storage.body.contains("team-a"),
        "{words}"
    );
    assert!(
        words.contains("Only the repositories you can read"),
        "{words}"
    );
    let home = carol.get("/").await;
    assert!(
        !home.body.contains("team-a"),
        "{}",
        crate::pages::text(&home.body)
    );
    // Alice, an admin, sees the whole registry there.
    let storage = alice.get("/storage").await;
    assert!(storage
        .body
        .contains("data-repository=\"team-a/backend/app\""));
}

/// More matches than a page holds, nearly all in repositories the searcher
/// cannot pull: dave (who may list every repository and pull only
/// `team-c/…`) gets his one match and no "more match" note, since nothing
/// he could read was left out; alice, who reads everything, is told the
/// page is cut.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matches_only_in_unreadable_repositories_do_not_cut_the_page() {
    use crate::support::DAVE;
    let tokens = TokenServer::start().await;
    let registry = TestRegistry::start(RegistryOpts {
        token: Some(tokens.auth_config()),
        ..Default::default()
    })
    .await;
    push_standard_and_team_c(&registry).await;
    // 250 tags in a repository only alice may pull, all matching "app".
    let private = "zeta/app-private";
    let p = registry.pusher_for(&[private]);
    let spec = berth::seed::ImageSpec::new(
        berth::seed::ImageFormat::Oci,
        "2025-01-01T00:00:00Z",
        &[("app/private", "private")],
    );
    let pushed = p.push_image(private, "t000", &spec).await.expect("push");
    let manifest = registry
        .client()
        .get(format!(
            "{}/v2/{private}/manifests/{}",
            registry.url, pushed.digest
        ))
        .bearer_auth(tokens.mint(
            ALICE.0,
            &[crate::support::Access::repository(private, &["pull"])],
        ))
        .header("accept", pushed.media_type.as_str())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    for t in 1..250 {
        p.put_manifest(private, &format!("t{t:03}"), &pushed.media_type, &manifest)
            .await
            .expect("tag");
    }
    let (berth, alice) = indexed_by_alice(&registry).await;
    let dave = berth.client();
    assert_eq!(dave.login(DAVE.0, DAVE.1).await.status, 303);

    let (status, found, words) = search(&dave, "app").await;
    assert_eq!(status, 200, "{words}");
    assert_eq!(found, vec![format!("{TEAM_C_REPO}:1.0")], "{words}");
    assert!(!words.contains("More tags match"), "{words}");
    assert!(!words.contains(private), "{words}");

    let (status, found, words) = search(&alice, "app").await;
    assert_eq!(status, 200, "{words}");
    assert_eq!(found.len(), 200, "{words}");
    assert!(words.contains("More tags match"), "{words}");
}

/// Repository names found by name, in page order.
fn repositories_named(html: &str) -> Vec<String> {
    let Some(start) = html.find("data-testid=\"search-repositories\"") else {
        return Vec::new();
    };
    let section = &html[start..html[start..].find("</section>").unwrap() + start];
    section
        .split("<li data-repository=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

/// Without an index account the index holds only what users opened, but
/// every repository is found by its name (from the caller's catalog), and
/// the page says that tags need the index.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_index_account_repositories_are_found_by_name_from_the_catalog() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    push_standard(&registry.pusher()).await;
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--index-opened", "true"]);
    let berth = TestBerth::start(&flags).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);

    // Never opened: found by name, no tag (the index has none of it).
    let page = admin.get("/search?q=ALP").await;
    assert_eq!(page.status, 200);
    assert_eq!(repositories_named(&page.body), vec!["library/alpine"]);
    assert!(page.body.contains("href=\"/r/library/alpine\""));
    assert!(hits(&page.body).is_empty());
    let words = text(&page.body);
    assert!(words.contains("1 repository by name"), "{words}");
    assert!(
        words.contains("Repository names are matched in the whole catalog; tags, digests"),
        "{words}"
    );
    assert!(!words.contains("Nothing matches"), "{words}");
    // Every word must be in the name; a tag-only term names no repository.
    let (_, _, words) = search(&admin, "alpine zzz").await;
    assert!(words.contains("Nothing matches"), "{words}");
    let page = admin.get("/search?q=kind:image").await;
    assert!(repositories_named(&page.body).is_empty());
    // The search box's list names it too, before any tag.
    let suggested = admin.post_api("/api/suggest", &[("q", "alpine")]).await;
    assert_eq!(suggested.status, 200, "{}", suggested.body);
    assert!(
        suggested.body.starts_with("[\"library/alpine\""),
        "{}",
        suggested.body
    );

    // Opened once, its tags are in the index as well.
    assert_eq!(admin.get("/r/library/alpine").await.status, 200);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let page = admin.get("/search?q=alpine").await;
        if hits(&page.body).contains(&"library/alpine:3.20".to_string()) {
            assert_eq!(repositories_named(&page.body), vec!["library/alpine"]);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the opened repository was not indexed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
