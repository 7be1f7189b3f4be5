//! `/metrics`: Prometheus text that `promtool check metrics` accepts, with
//! the series an operator graphs (requests by route, registry calls by
//! kind, cache hits and misses, logins, deletes, sessions), behind
//! `BERTH_METRICS_TOKEN` when it is set. One recorder serves the whole test
//! process, so counts are compared before and after, never absolutely; the
//! suite runs one test at a time (`scripts/test.sh`), so the differences are
//! this test's own.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{http_client, Env, ADMIN};

const TOKEN: &str = "metrics-token-0123456789";

async fn scrape(env: &Env) -> String {
    let resp = http_client()
        .get(format!("{}/metrics", env.berth.url))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    resp.text().await.expect("body")
}

/// The value of the series whose name and labels contain every one of
/// `parts` (0 when there is none yet).
fn value(text: &str, name: &str, parts: &[&str]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.split(['{', ' ']).next() == Some(name))
        .filter(|l| parts.iter().all(|p| l.contains(p)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn promtool(text: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian package prometheus; scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_what_berth_does_and_pass_promtool() {
    let env = Env::start(true, &["--metrics-token", TOKEN]).await;
    let before = scrape(&env).await;

    let admin = env.admin().await;
    let wrong = env.berth.client();
    assert_eq!(wrong.login(ADMIN.0, "not-the-password").await.status, 303);
    // Logged out, the guard sends a page visit to the login form.
    assert_eq!(wrong.get("/r/library/alpine").await.status, 303);
    assert_eq!(admin.get("/r/library/alpine").await.status, 200);
    assert_eq!(admin.get("/r/library/alpine").await.status, 200);
    let csrf = admin.csrf().await;
    let digest = env.content.alpine_319.digest.clone();
    let deleted = admin
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);

    let after = scrape(&env).await;
    let grew =
        |name: &str, parts: &[&str]| value(&after, name, parts) - value(&before, name, parts);
    assert!(grew("berth_logins_total", &["result=\"ok\""]) >= 1.0);
    assert!(grew("berth_logins_total", &["result=\"failed\""]) >= 1.0);
    assert!(
        grew(
            "berth_http_requests_total",
            &["route=\"/r/{*rest}\"", "status=\"200\""]
        ) >= 2.0,
        "{after}"
    );
    assert!(
        grew(
            "berth_http_requests_total",
            &["route=\"/auth/login\"", "status=\"303\""]
        ) >= 2.0
    );
    // A redirect by the guard still counts under its route.
    assert!(
        grew(
            "berth_http_requests_total",
            &["route=\"/r/{*rest}\"", "status=\"303\""]
        ) >= 1.0
    );
    assert!(
        grew(
            "berth_http_request_duration_seconds_count",
            &["route=\"/r/{*rest}\""]
        ) >= 2.0
    );
    assert!(
        grew(
            "berth_registry_requests_total",
            &["kind=\"tags\"", "status=\"200\""]
        ) >= 1.0
    );
    assert!(grew("berth_registry_requests_total", &["kind=\"manifest\""]) >= 1.0);
    assert!(
        grew(
            "berth_registry_request_duration_seconds_count",
            &["kind=\"tags\""]
        ) >= 1.0
    );
    // The second view of the tag list came from the cache.
    assert!(
        grew(
            "berth_cache_lookups_total",
            &["cache=\"tag_lists\"", "result=\"miss\""]
        ) >= 1.0
    );
    assert!(
        grew(
            "berth_cache_lookups_total",
            &["cache=\"tag_lists\"", "result=\"hit\""]
        ) >= 1.0
    );
    assert!(
        grew(
            "berth_changes_total",
            &["action=\"delete\"", "result=\"ok\""]
        ) >= 1.0
    );
    assert!(
        grew(
            "berth_registry_requests_total",
            &["kind=\"delete\"", "status=\"202\""]
        ) >= 1.0
    );
    assert!(
        value(&after, "berth_sessions_active", &[]) >= 1.0,
        "{after}"
    );
    assert!(value(&after, "berth_cache_bytes", &["cache=\"content\""]) > 0.0);
    // Route patterns only: no series per repository.
    assert!(!after.contains("library/alpine"), "{after}");
    promtool(&after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_when_one_is_set() {
    let env = Env::start(false, &["--metrics-token", TOKEN]).await;
    let url = format!("{}/metrics", env.berth.url);
    let none = http_client().get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    let wrong = http_client()
        .get(&url)
        .bearer_auth("metrics-token-0123456780")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // A logged-in admin's cookie is not the token either.
    let admin = env.admin().await;
    assert_eq!(admin.get("/metrics").await.status, 401);
    // With the token, the same request is answered.
    let right = http_client()
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
}

/// Without a token `/metrics` is off (its index counts describe the whole
/// registry), and served to anyone only when the operator says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_off_without_a_token_unless_opened() {
    let registry = crate::support::TestRegistry::start(Default::default()).await;
    let scrape = |berth: &crate::support::TestBerth| {
        let url = format!("{}/metrics", berth.url);
        async move { http_client().get(url).send().await.unwrap() }
    };
    let closed =
        crate::support::TestBerth::start(&["--registry-url", &registry.url, "--auth", "none"])
            .await;
    let resp = scrape(&closed).await;
    assert_eq!(resp.status(), 404);
    let body = resp.text().await.unwrap();
    assert!(body.contains("BERTH_METRICS_TOKEN"), "{body}");
    assert!(!body.contains("berth_http_requests_total"), "{body}");
    let open = crate::support::TestBerth::start(&[
        "--registry-url",
        &registry.url,
        "--auth",
        "none",
        "--metrics-open",
        "true",
    ])
    .await;
    let resp = scrape(&open).await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("berth_http_requests_total"));
}
