//! The layer cache is keyed by digest and shared; a listing in it is shown
//! only to a repository that has the layer. A registry whose manifest in
//! one repository names a layer the repository does not have (its link
//! deleted, or a manifest pushed without checks) must not show another
//! repository's files.

use crate::image_files::{made_with, push_image};
use crate::layers::header;
use crate::support::registry::{RegistryOpts, TestRegistry, ADMIN, VIEWER};
use crate::support::TestBerth;

fn secret_tar() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o600, 6),
        "etc/team-a-secret",
        &b"hunter"[..],
    )
    .unwrap();
    b.into_inner().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_listing_is_shown_only_to_a_repository_that_has_the_layer() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let tar = secret_tar();
    let layer = berth::registry::digest::sha256_of(&crate::layers::gzip(&tar));
    push_image(
        &registry,
        "team-a/app",
        Some("v1"),
        std::slice::from_ref(&tar),
        made_with(serde_json::json!({})),
        serde_json::json!({}),
    )
    .await;
    // The same layer in team-b's image, whose manifest differs (its own
    // annotation), then the layer's link taken out of team-b.
    push_image(
        &registry,
        "team-b/app",
        Some("v1"),
        &[tar],
        made_with(serde_json::json!({})),
        serde_json::json!({"team": "b"}),
    )
    .await;
    let cache = tempfile::tempdir().unwrap();
    let mut flags = registry.registry_mode_flags();
    let dir = cache.path().to_str().unwrap().to_string();
    flags.extend(["--layer-cache-dir", &dir]);
    let berth = TestBerth::start(&flags).await;
    let b = berth.client();
    assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);

    // Both show the file while both have the layer (team-a's read warms
    // the cache).
    for repo in ["team-a/app", "team-b/app"] {
        let page = b.get(&format!("/r/{repo}/-/files/v1")).await;
        assert_eq!(page.status, 200, "{repo}: {}", page.body);
        assert!(page.body.contains("/etc/team-a-secret"), "{repo}");
    }
    let gone = registry
        .client()
        .delete(format!("{}/v2/team-b/app/blobs/{layer}", registry.url))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 202, "the registry unlinks team-b's layer");

    let page = b.get("/r/team-b/app/-/files/v1").await;
    assert_eq!(page.status, 404, "{}", page.body);
    assert!(!page.body.contains("team-a-secret"), "{}", page.body);
    // A file of it, opened by path, is not shown either.
    let page = b
        .get("/r/team-b/app/-/files/v1?path=/etc/team-a-secret")
        .await;
    assert_eq!(page.status, 404, "{}", page.body);
    assert!(!page.body.contains("hunter"), "{}", page.body);
    // team-a still has it.
    let page = b.get("/r/team-a/app/-/files/v1").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("/etc/team-a-secret"));
}
