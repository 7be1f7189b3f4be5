//! Pages are compressed on the fly with what the browser accepts: zstd for
//! Chromium and Firefox (smaller than brotli at level 1, and several times
//! faster on a 2,000-tag page), brotli for Safari, gzip for the rest.

use crate::support::{session_cookie, Env, ADMIN};

/// What Chromium sends.
const CHROMIUM: &str = "gzip, deflate, br, zstd";

async fn fetch(env: &Env, cookie: &str, path: &str, accept: &str) -> reqwest::Response {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", env.berth.url))
        .header("cookie", cookie)
        .header("accept-encoding", accept)
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), 200, "{path} ({accept})");
    resp
}

fn encoding(resp: &reqwest::Response) -> &str {
    resp.headers()
        .get("content-encoding")
        .map(|v| v.to_str().expect("ascii"))
        .unwrap_or("identity")
}

/// The page without its per-response nonce, to compare two answers.
fn without_nonces(html: &str) -> String {
    html.split("nonce=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                part.split_once('"')
                    .map(|(_, rest)| rest)
                    .unwrap_or(part)
                    .to_string()
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_come_in_the_best_encoding_the_browser_accepts() {
    let env = Env::start(false, &[]).await;
    let cookie = session_cookie(&env.berth.url, ADMIN).await;
    let path = "/r/library/alpine";

    let plain = fetch(&env, &cookie, path, "identity").await;
    assert_eq!(encoding(&plain), "identity");
    let plain = plain.text().await.expect("body");
    assert!(plain.contains("</html>"));

    let zstd = fetch(&env, &cookie, path, CHROMIUM).await;
    assert_eq!(encoding(&zstd), "zstd");
    assert!(zstd.headers()["vary"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    let packed = zstd.bytes().await.expect("body");
    let unpacked = zstd::stream::decode_all(&packed[..]).expect("a whole zstd frame");
    let unpacked = String::from_utf8(unpacked).expect("UTF-8");
    assert!(
        packed.len() * 2 < unpacked.len(),
        "{} of {}",
        packed.len(),
        unpacked.len()
    );
    assert_eq!(without_nonces(&unpacked), without_nonces(&plain));

    // Safari accepts no zstd; an explicit preference is honoured.
    let br = fetch(&env, &cookie, path, "gzip, deflate, br").await;
    assert_eq!(encoding(&br), "br");
    let gz = fetch(&env, &cookie, path, "zstd;q=0.5, gzip").await;
    assert_eq!(encoding(&gz), "gzip");
    let none = fetch(&env, &cookie, path, "zstd;q=0").await;
    assert_eq!(encoding(&none), "identity");
}
