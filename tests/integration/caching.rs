//! The caches, observed from the registry's own access log: a cold page
//! read once however many ask at the same moment, a warm page read not at
//! all, and Berth's own deletes showing at once.

use crate::support::{Env, RegistryOpts, TestBerth, TestRegistry};

const REPO: &str = "bench/many";
const TAGS: usize = 20;

/// Registry requests logged since `from` bytes, matching `needle`.
fn requests_since(reg: &TestRegistry, from: usize, needle: &str) -> usize {
    reg.log()[from..]
        .lines()
        .filter(|l| l.contains(needle) && !l.contains("berth-log-marker"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_people_on_a_cold_page_cost_one_set_of_registry_requests() {
    let reg = TestRegistry::start(RegistryOpts {
        access_log: true,
        ..Default::default()
    })
    .await;
    reg.pusher()
        .push_many_tags(REPO, TAGS, 4)
        .await
        .expect("push");
    // No index sync: only the pages' own requests are counted.
    let berth = TestBerth::start(&[
        "--registry-url",
        &reg.url,
        "--auth",
        "none",
        "--index-interval",
        "0",
    ])
    .await;
    reg.settle_log().await;
    let mark = reg.log().len();

    let pages = futures::future::join_all((0..10).map(|_| {
        let b = berth.client();
        async move { b.get(&format!("/r/{REPO}")).await }
    }))
    .await;
    for p in &pages {
        assert_eq!(p.status, 200);
        assert_eq!(p.body.matches("<tr data-tag=").count(), TAGS);
    }
    reg.settle_log().await;
    let manifests = requests_since(&reg, mark, &format!("\"GET /v2/{REPO}/manifests/"));
    let lists = requests_since(&reg, mark, &format!("\"GET /v2/{REPO}/tags/list"));
    assert_eq!(manifests, TAGS, "one manifest GET per tag for ten viewers");
    assert_eq!(lists, 1, "one tag list for ten viewers");

    // Warm: the same page again asks the registry nothing.
    let mark = reg.log().len();
    let again = berth.client().get(&format!("/r/{REPO}")).await;
    assert_eq!(again.status, 200);
    reg.settle_log().await;
    assert_eq!(
        requests_since(&reg, mark, "\"GET /v2/"),
        0,
        "warm page hit the registry"
    );
    // A tag page reuses the cached manifest after a fresh HEAD of its own
    // tag (still there, still this digest): no manifest GET at all.
    let mark = reg.log().len();
    let tag = berth.client().get(&format!("/r/{REPO}/-/tag/0.0.3")).await;
    assert_eq!(tag.status, 200);
    reg.settle_log().await;
    assert_eq!(
        requests_since(&reg, mark, &format!("\"HEAD /v2/{REPO}/manifests/0.0.3")),
        1,
        "the tag page checks its tag"
    );
    assert_eq!(
        requests_since(&reg, mark, &format!("\"GET /v2/{REPO}/manifests/")),
        0,
        "the tag page fetched a manifest it had"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn berths_own_delete_shows_at_once() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let v = env.viewer().await;
    // Both have the row cached, by the marker checked after the delete.
    for b in [&a, &v] {
        assert!(b
            .get("/r/library/alpine")
            .await
            .body
            .contains("data-tag=\"3.19\""));
    }
    let digest = env.content.alpine_319.digest.clone();
    let csrf = a.csrf().await;
    let done = a
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/r/library/alpine?deleted=1")
    );
    let after = a.get("/r/library/alpine").await;
    assert!(
        !after.body.contains("data-tag=\"3.19\""),
        "stale list after delete"
    );
    // The viewer's own cached view went too.
    assert!(!v
        .get("/r/library/alpine")
        .await
        .body
        .contains("data-tag=\"3.19\""));
}
