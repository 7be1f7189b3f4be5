//! Security headers on pages, server functions and the bundle.

use crate::support::{Env, TestBerth};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_policy_and_are_not_cached() {
    let env = Env::start(false, &[]).await;
    let b = env.admin().await;
    let resp = b
        .http
        .get(format!("{}/r/library/alpine", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(h["cache-control"], "no-store");
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
    let body = resp.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Every inline script of the page carries it.
    let scripts = body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        body.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "a script without the nonce: {body}"
    );
    // A second page gets a fresh nonce.
    let again = b.http.get(format!("{}/", b.base)).send().await.unwrap();
    let csp2 = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp2.contains(nonce));

    let api = b
        .http
        .post(format!("{}/api/list_repositories", b.base))
        .header("origin", &b.base)
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    assert!(api.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'none'"));
    let login = b
        .http
        .get(format!("{}/login", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    let bundle = b
        .http
        .get(format!("{}/pkg/berth.css", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.headers()["cache-control"], "no-cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_cookies_come_with_hsts() {
    let env = Env::start(false, &[]).await;
    let berth = TestBerth::start(&[
        "--registry-url",
        &env.registry.url,
        "--auth",
        "none",
        "--cookie-secure",
        "true",
    ])
    .await;
    let resp = reqwest::get(format!("{}/healthz", berth.url))
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}
