//! A registry that sends what no honest one would: endless bodies and names
//! that are not names. Berth reads a bounded amount, answers at once with
//! an honest status, and never puts an unchecked name into a URL.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};

use crate::pages::text;
use crate::support::fake_server::{answer, FakeServer};
use crate::support::TestBerth;

/// A body that never ends.
fn endless(prefix: &'static str) -> Body {
    let head = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(prefix)) });
    let rest = futures::stream::repeat_with(|| Ok(Bytes::from(vec![b' '; 64 * 1024])));
    Body::from_stream(futures::StreamExt::chain(head, rest))
}

async fn open_berth(registry: &FakeServer) -> TestBerth {
    TestBerth::start(&["--registry-url", &registry.url, "--auth", "none"]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_catalog_is_cut_off_with_a_clear_page() {
    let registry = FakeServer::start(|seen, _| match seen.target.as_str() {
        "/v2/" => answer(200, &[], "{}"),
        _ => answer(
            200,
            &[("content-type", "application/json")],
            endless(r#"{"repositories":["#),
        ),
    })
    .await;
    let (_berth, admin) = TestBerth::with_local_admin(&registry.url).await;
    let started = Instant::now();
    let page = admin.get("/").await;
    assert_eq!(page.status, 502);
    assert!(
        text(&page.body).contains("larger than"),
        "{}",
        text(&page.body)
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_error_body_is_read_only_in_part() {
    let registry = FakeServer::start(|seen, _| match seen.target.as_str() {
        "/v2/" => answer(200, &[], "{}"),
        _ => answer(500, &[], endless("internal error")),
    })
    .await;
    let berth = open_berth(&registry).await;
    let started = Instant::now();
    let page = berth.client().get("/").await;
    assert_eq!(page.status, 502, "{}", page.body);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_token_answer_fails_the_login_at_once() {
    let registry = FakeServer::start(|seen, base| match seen.target.as_str() {
        t if t.starts_with("/token") => answer(
            200,
            &[("content-type", "application/json")],
            endless(r#"{"token":""#),
        ),
        _ => answer(
            401,
            &[(
                "www-authenticate",
                &format!(r#"Bearer realm="{base}/token",service="registry""#),
            )],
            "",
        ),
    })
    .await;
    let berth = TestBerth::start(&["--registry-url", &registry.url, "--auth", "registry"]).await;
    let started = Instant::now();
    let login = berth.client().login("alice", "secret").await;
    assert_eq!(login.status, 303);
    assert!(login.location.unwrap_or_default().contains("error="));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// Names that break out of a URL path, or are not names at all.
const BAD_NAMES: [&str; 8] = [
    "../../v2/_catalog",
    "a/../b",
    "%2e%2e/x",
    "a b",
    "x?n=1",
    "x#y",
    "UPPER/case",
    "a\r\nx-injected: 1",
];

fn with_bad_names(good: &str) -> Vec<&str> {
    std::iter::once(good).chain(BAD_NAMES).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_names_from_the_registry_are_skipped_and_never_requested() {
    let catalog = serde_json::json!({
        "repositories": with_bad_names("good/app")
    })
    .to_string();
    let tags = serde_json::json!({
        "name": "good/app",
        "tags": with_bad_names("1.0")
    })
    .to_string();
    let registry = FakeServer::start(move |seen, _| match seen.target.as_str() {
        "/v2/" => answer(200, &[], "{}"),
        t if t.starts_with("/v2/_catalog") => answer(
            200,
            &[("content-type", "application/json")],
            catalog.clone(),
        ),
        "/v2/good/app/tags/list" => {
            answer(200, &[("content-type", "application/json")], tags.clone())
        }
        _ => answer(
            404,
            &[("content-type", "application/json")],
            r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#,
        ),
    })
    .await;
    let berth = open_berth(&registry).await;
    let b = berth.client();
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/r/good/app\""));
    assert!(
        text(&home.body).contains(&format!(
            "listed {} names that are not valid",
            BAD_NAMES.len()
        )),
        "{}",
        text(&home.body)
    );
    let tags_page = b.get("/r/good/app").await;
    assert!(
        text(&tags_page.body).contains(&format!("listed {} tag names", BAD_NAMES.len())),
        "{}",
        text(&tags_page.body)
    );
    for seen in registry.seen() {
        let t = &seen.target;
        assert!(
            t == "/v2/"
                || t.starts_with("/v2/_catalog")
                || t == "/v2/good/app/tags/list"
                || t.starts_with("/v2/good/app/manifests/1.0")
                || t.starts_with("/v2/good/app/referrers/"),
            "Berth requested {t:?}"
        );
    }
}

/// An index with 300 platforms, each child answering slowly: Berth fetches
/// them concurrently, but never more at once than its process-wide bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_index_is_fetched_within_the_concurrency_bound() {
    use crate::support::fake_server::DELAY_HEADER;
    let children: Vec<(String, String)> = (0..300)
        .map(|i| {
            let body = serde_json::json!({
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{:064x}", i), "size": 2},
                "layers": [],
                "annotations": {"n": i.to_string()}
            })
            .to_string();
            (berth::registry::digest::sha256_of(body.as_bytes()), body)
        })
        .collect();
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": children.iter().enumerate().map(|(i, (d, b))| serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": d,
            "size": b.len(),
            "platform": {"os": "linux", "architecture": format!("arch{i}")}
        })).collect::<Vec<_>>()
    })
    .to_string();
    let by_digest: std::collections::HashMap<String, String> = children.into_iter().collect();
    let registry = FakeServer::start(move |seen, _| {
        let t = seen.target.as_str();
        let manifest = |body: String| {
            let digest = berth::registry::digest::sha256_of(body.as_bytes());
            answer(
                200,
                &[
                    ("content-type", "application/vnd.oci.image.index.v1+json"),
                    ("docker-content-digest", &digest),
                    (DELAY_HEADER, "20"),
                ],
                body,
            )
        };
        match t {
            "/v2/" => answer(200, &[], "{}"),
            "/v2/big/tags/list" => answer(200, &[], r#"{"name":"big","tags":["multi"]}"#),
            "/v2/big/manifests/multi" => manifest(index.clone()),
            _ => match t
                .strip_prefix("/v2/big/manifests/")
                .and_then(|d| by_digest.get(d))
            {
                Some(body) => answer(
                    200,
                    &[
                        ("content-type", "application/vnd.oci.image.manifest.v1+json"),
                        (DELAY_HEADER, "20"),
                    ],
                    body.clone(),
                ),
                None => answer(
                    404,
                    &[],
                    r#"{"errors":[{"code":"BLOB_UNKNOWN","message":"x"}]}"#,
                ),
            },
        }
    })
    .await;
    let berth = TestBerth::start(&[
        "--registry-url",
        &registry.url,
        "--auth",
        "none",
        "--registry-concurrency",
        "4",
    ])
    .await;
    let page = berth.client().get("/r/big").await;
    assert_eq!(page.status, 200, "{}", text(&page.body));
    assert!(page.body.contains("arch299"), "every platform listed");
    let max = registry.max_in_flight();
    eprintln!("huge index: at most {max} registry requests in flight (bound 4)");
    assert!((2..=4).contains(&max), "{max}");
}
