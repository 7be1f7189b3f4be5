//! Password guessing is throttled per client address and per username,
//! and a removed htpasswd user loses their session.

use std::time::{Duration, Instant};

use crate::pages::text;
use crate::support::{RegistryOpts, TestBerth, TestRegistry, ADMIN, VIEWER};

/// Berth in htpasswd mode on the registry's own file; loopback is a trusted
/// proxy, so each test request can say which client it stands for.
async fn berth(reg: &TestRegistry, extra: &[&str]) -> TestBerth {
    let file = reg.htpasswd_path();
    let mut flags = vec![
        "--registry-url",
        reg.url.as_str(),
        "--auth",
        "htpasswd",
        "--htpasswd",
        file.to_str().unwrap(),
        "--registry-username",
        ADMIN.0,
        "--registry-password",
        ADMIN.1,
        "--admins",
        ADMIN.0,
    ];
    flags.extend_from_slice(extra);
    TestBerth::start(&flags).await
}

async fn registry() -> TestRegistry {
    TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await
}

/// A login post as the client `xff` (sent as X-Forwarded-For).
async fn login_as(
    http: &reqwest::Client,
    base: &str,
    xff: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    http.post(format!("{base}/auth/login"))
        .header("origin", base)
        .header("x-forwarded-for", xff)
        .form(&[("username", user), ("password", password), ("next", "/")])
        .send()
        .await
        .expect("login answer")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn p99(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[(samples.len() * 99 / 100).min(samples.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_wrong_passwords_gets_429_and_others_still_log_in() {
    let reg = registry().await;
    let berth = berth(&reg, &["--trusted-proxies", "127.0.0.1"]).await;
    let base = berth.url.clone();
    let http = client();

    // While the burst runs, someone else keeps loading the bundle.
    let (probe_base, probe_http) = (base.clone(), client());
    let probe = tokio::spawn(async move {
        let mut samples = Vec::new();
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            let started = Instant::now();
            let r = probe_http
                .get(format!("{probe_base}/pkg/berth.css"))
                .send()
                .await
                .expect("bundle");
            let _ = r.bytes().await;
            samples.push(started.elapsed());
        }
        samples
    });
    let burst = futures::future::join_all(
        (0..20).map(|_| login_as(&http, &base, "198.51.100.1", ADMIN.0, "wrong-password")),
    )
    .await;
    let statuses: Vec<u16> = burst.iter().map(|r| r.status().as_u16()).collect();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(refused >= 9, "statuses: {statuses:?}");
    assert!(
        statuses.iter().all(|s| [303, 429].contains(s)),
        "{statuses:?}"
    );
    let samples = probe.await.unwrap();
    eprintln!(
        "login burst: {refused}/20 refused with 429; /pkg p99 {:?} over {} requests meanwhile",
        p99(samples.clone()),
        samples.len()
    );

    // The next attempt from that address, even with the right password.
    let again = login_as(&http, &base, "198.51.100.1", ADMIN.0, ADMIN.1).await;
    assert_eq!(again.status(), 429);
    let retry: u64 = again.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let page = text(&again.text().await.unwrap());
    assert!(
        page.contains(&format!("Try again in {retry} seconds")),
        "{page}"
    );

    // The right password from another address still works.
    let ok = login_as(&http, &base, "198.51.100.2", ADMIN.0, ADMIN.1).await;
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_does_not_escape_the_throttle() {
    let reg = registry().await;
    // No trusted proxies: X-Forwarded-For is the client's own words.
    let berth = berth(&reg, &[]).await;
    let http = client();
    let mut last = 0;
    for i in 0..15 {
        let r = login_as(
            &http,
            &berth.url,
            &format!("203.0.113.{i}"),
            VIEWER.0,
            "nope",
        )
        .await;
        last = r.status().as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_removed_from_htpasswd_loses_access_at_once() {
    let reg = registry().await;
    let berth = berth(&reg, &[]).await;
    let b = berth.client();
    assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);
    assert_eq!(b.get("/").await.status, 200);
    let file = reg.htpasswd_path();
    let kept: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with(&format!("{}:", VIEWER.0)))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, kept).unwrap();
    let after = b.get("/").await;
    assert_eq!(after.status, 303);
    assert!(after.location.unwrap_or_default().starts_with("/login"));
    let api = b.post_form("/api/list_repositories", &[]).await;
    assert_eq!(api.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_expire_and_activity_keeps_them() {
    let reg = registry().await;
    let berth = berth(&reg, &["--session-idle", "3"]).await;
    let b = berth.client();
    assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);
    // Active for longer than the idle limit: still logged in.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(b.get("/healthz").await.status, 200);
        assert_eq!(
            b.get("/").await.status,
            200,
            "activity must slide the expiry"
        );
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(b.get("/").await.status, 303, "an idle session must end");
}
