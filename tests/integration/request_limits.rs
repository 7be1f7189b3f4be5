//! Requests of any size get an answer, and a request that never finishes
//! arriving does not hold its connection for ever.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_urls_answer_for_logged_in_users() {
    let env = Env::start(false, &[]).await;
    let b = env.admin().await;
    // The stylesheet is there once the site is built (the release build
    // runs after these tests in a clean clone): then it is served, before
    // that it is an honest 404.
    let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let css = if std::path::Path::new(&site).join("pkg/berth.css").is_file() {
        200
    } else {
        404
    };
    for (path, expected) in [
        ("/", 200),
        ("/healthz", 200),
        ("/pkg/berth.css", css),
        ("/r/library/alpine", 200),
        ("/admin/registry", 200),
    ] {
        for n in [9_000, 15_000] {
            let url = format!("{path}?q={}", "a".repeat(n));
            let page = b.get(&url).await;
            assert_eq!(
                page.status, expected,
                "{path} with {n} characters: {}",
                page.status
            );
        }
        let url = format!("{path}?q={}", "a".repeat(20_000));
        assert_eq!(b.get(&url).await.status, 414, "{path}");
    }
    // A head past the bound is refused whole.
    let huge = b
        .http
        .get(format!("{}/healthz", b.base))
        .header("x-padding", "a".repeat(100_000))
        .send()
        .await
        .expect("an answer");
    assert_eq!(huge.status().as_u16(), 431);
}

/// What curl 7.88 sends when its cookie jar holds a cookie that no longer
/// fits beside a 9,000-character URL: an empty `Cookie:` and no blank line
/// to end the head. The server must give up on it, not wait for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unfinished_request_head_is_dropped() {
    let env = Env::start(false, &[]).await;
    let addr = env.berth.url.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "GET /healthz?q={} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: curl/7.88.1\r\nCookie: \r\n",
        "a".repeat(9_000)
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after 20 s");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5),
        "dropped too early: {waited:?}"
    );
    eprintln!("unfinished head dropped after {waited:?}");
    // Meanwhile, and after, the server answers everyone else.
    assert_eq!(env.berth.client().get("/healthz").await.status, 200);
}
